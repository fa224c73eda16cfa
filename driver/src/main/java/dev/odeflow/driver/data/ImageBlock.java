package dev.odeflow.driver.data;

import dev.odeflow.kernels.classifier.ImageBatch;
import dev.odeflow.kernels.nn.MapShape;

import java.util.Arrays;

/**
 * One partition's labelled images (model.kind = classifier): unsigned pixel bytes, one image after another
 * (channels-last), and their labels. A minibatch draws images; {@link #batch} scales them to [0, 1] as the model
 * reads them. The arrays are owned by the block; callers must not modify them.
 *
 * @param shape  one image's shape
 * @param pixels n images' bytes
 * @param labels the n labels
 */
public record ImageBlock(MapShape shape, byte[] pixels, int[] labels) implements TrainingBlock {

    public ImageBlock {
        if (shape == null || pixels == null || labels == null || pixels.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException("an image block needs a shape, n labels and n images' bytes");
        }
    }

    /** Number of images. */
    public int n() {
        return labels.length;
    }

    @Override
    public int units() {
        return labels.length;
    }

    /** The listed images (at least one), with their labels. */
    public ImageBatch batch(int[] rows) {
        return ImageBatch.ofBytes(shape, pixels, labels, rows);
    }

    /** Images from (inclusive) to (exclusive), with their labels. */
    public ImageBatch batch(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return batch(rows);
    }

    /** The first {@code k} images (all when k >= n) as a new block. */
    public ImageBlock head(int k) {
        int m = Math.min(k, n());
        return new ImageBlock(shape, Arrays.copyOf(pixels, m * shape.size()), Arrays.copyOf(labels, m));
    }

    /** The largest label, -1 for an empty block. */
    public int maxLabel() {
        return Arrays.stream(labels).max().orElse(-1);
    }

    /**
     * Block k of the listed images of {@code all} cut, in order, into {@code p} blocks of contiguous ranges of equal
     * size (±1 image).
     */
    public static ImageBlock slice(IdxImages all, int[] images, int k, int p) {
        int size = all.shape().size();
        int from = (int) ((long) images.length * k / p);
        int to = (int) ((long) images.length * (k + 1) / p);
        byte[] px = new byte[(to - from) * size];
        int[] lab = new int[to - from];
        for (int i = from; i < to; i++) {
            System.arraycopy(all.pixels(), images[i] * size, px, (i - from) * size, size);
            lab[i - from] = all.labels()[images[i]];
        }
        return new ImageBlock(all.shape(), px, lab);
    }
}
