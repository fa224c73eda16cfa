package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.nn.MapShape;

/**
 * n images and their labels.
 *
 * @param shape  one image's shape
 * @param n      number of images
 * @param pixels n images channels-last (n×h×w×c), scaled as the model was trained (MNIST bytes / 255)
 * @param labels the class of each image, or null when only classifying
 */
public record ImageBatch(MapShape shape, int n, double[] pixels, int[] labels) {

    public ImageBatch {
        if (shape == null || n < 1 || pixels == null) {
            throw new IllegalArgumentException("an image batch needs a shape, n >= 1 and pixels");
        }
        if (pixels.length != (long) n * shape.size()) {
            throw new IllegalArgumentException("expected " + n + " images of " + shape + " (" + (long) n * shape.size()
                    + " values), got " + pixels.length + " values");
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
    }

    /**
     * The listed images of a byte table (unsigned pixels, channels-last, one image after another) scaled to
     * [0, 1], with their labels when {@code labels} is not null.
     */
    public static ImageBatch ofBytes(MapShape shape, byte[] table, int[] labels, int[] rows) {
        int size = shape.size();
        double[] px = new double[rows.length * size];
        int[] lab = labels == null ? null : new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int from = rows[i] * size;
            for (int j = 0; j < size; j++) {
                px[i * size + j] = (table[from + j] & 0xff) / 255.0;
            }
            if (lab != null) {
                lab[i] = labels[rows[i]];
            }
        }
        return new ImageBatch(shape, rows.length, px, lab);
    }
}
