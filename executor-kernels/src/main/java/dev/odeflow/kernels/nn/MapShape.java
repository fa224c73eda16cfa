package dev.odeflow.kernels.nn;

import java.io.Serializable;

/**
 * The shape of one example's feature map, stored channels-last: h×w×c, row-major (a dense vector is a 1×1 map
 * of c channels). A batch of n examples is n such maps in a row (NHWC), so every convolution is one matrix product
 * over all n·h·w positions.
 */
public record MapShape(int height, int width, int channels) implements Serializable {

    public MapShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("a feature map needs height, width and channels >= 1, got " + height
                    + "×" + width + "×" + channels);
        }
    }

    /** A vector of c features: a 1×1 map. */
    public static MapShape vector(int c) {
        return new MapShape(1, 1, c);
    }

    /** Values per example. */
    public int size() {
        return Math.multiplyExact(Math.multiplyExact(height, width), channels);
    }

    /** Spatial positions per example. */
    public int positions() {
        return height * width;
    }

    @Override
    public String toString() {
        return height + "×" + width + "×" + channels;
    }
}
