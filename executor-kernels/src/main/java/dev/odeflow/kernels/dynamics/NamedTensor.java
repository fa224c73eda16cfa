package dev.odeflow.kernels.dynamics;

import java.util.Arrays;

/** One named tensor inside a flat parameter vector: elements [offset, offset + size()) in row-major order. */
public record NamedTensor(String name, int[] shape, int offset) {

    public NamedTensor {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a 0-dimensional scalar); an int overflow is an ArithmeticException. */
    public int size() {
        int s = 1;
        for (int d : shape) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape) + offset;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
