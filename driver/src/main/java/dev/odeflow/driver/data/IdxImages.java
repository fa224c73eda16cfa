package dev.odeflow.driver.data;

import dev.odeflow.kernels.nn.MapShape;

/**
 * The images of one IDX file (and the labels of its labels file, when read): unsigned bytes, one image after
 * another, each row by row ({@code h×w×1} channels-last, as {@link dev.odeflow.kernels.classifier.ImageBatch}
 * reads them).
 *
 * @param shape  one image's shape (the header's rows × columns, one channel)
 * @param n      number of images
 * @param pixels n × h × w bytes
 * @param labels one label per image, or null when there is no labels file
 * @param source the images file, for messages
 */
public record IdxImages(MapShape shape, int n, byte[] pixels, int[] labels, String source)
        implements java.io.Serializable {

    public IdxImages {
        if (shape == null || pixels == null || n < 0 || pixels.length != (long) n * shape.size()) {
            throw new IllegalArgumentException("IDX images need a shape and n × its size bytes");
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
    }

    /** The largest label, or -1 without labels or images. */
    public int maxLabel() {
        int max = -1;
        if (labels != null) {
            for (int l : labels) {
                max = Math.max(max, l);
            }
        }
        return max;
    }
}
