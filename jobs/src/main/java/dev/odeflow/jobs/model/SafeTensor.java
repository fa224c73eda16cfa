package dev.odeflow.jobs.model;

import java.util.Arrays;

/**
 * One tensor of a safetensors file, widened to double.
 *
 * @param name   the tensor's name
 * @param dtype  its stored element type
 * @param shape  its shape ([] for a scalar)
 * @param values its elements in row-major order
 */
public record SafeTensor(String name, TensorDtype dtype, int[] shape, double[] values) {

    public SafeTensor {
        if (name == null || name.isEmpty() || dtype == null || shape == null || values == null) {
            throw new IllegalArgumentException("a tensor needs a name, dtype, shape and values");
        }
        shape = shape.clone();
        values = values.clone();
        if (elementCount(shape) != values.length) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape) + " ("
                    + elementCount(shape) + " elements) but " + values.length + " values");
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** Number of elements of a shape (1 for []); one that does not fit in a long is an ArithmeticException. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafeTensor t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.values, values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
