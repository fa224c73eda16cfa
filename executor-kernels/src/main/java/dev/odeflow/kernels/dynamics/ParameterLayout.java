package dev.odeflow.kernels.dynamics;

import java.util.ArrayList;
import java.util.List;

/** The named tensors of a flat parameter vector, in order, without gaps. */
public record ParameterLayout(List<NamedTensor> tensors) {

    public ParameterLayout {
        tensors = List.copyOf(tensors);
        int expected = 0;
        for (NamedTensor t : tensors) {
            if (t.offset() != expected) {
                throw new IllegalArgumentException("tensor " + t.name() + " starts at " + t.offset() + ", expected " + expected);
            }
            expected = Math.addExact(expected, t.size());
        }
    }

    /** Total number of parameters. */
    public int size() {
        return tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).offset() + tensors.get(tensors.size() - 1).size();
    }

    /** The tensor with this name; an unknown name is an error that lists the known ones. */
    public NamedTensor get(String name) {
        for (NamedTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor named '" + name + "' in layout " + names());
    }

    public List<String> names() {
        return tensors.stream().map(NamedTensor::name).toList();
    }

    /** Incremental construction in order. */
    public static final class Builder {
        private final List<NamedTensor> list = new ArrayList<>();
        private int offset;

        /** Appends a tensor and returns its offset. */
        public int add(String name, int... shape) {
            NamedTensor t = new NamedTensor(name, shape, offset);
            list.add(t);
            offset = Math.addExact(offset, t.size());
            return t.offset();
        }

        public ParameterLayout build() {
            return new ParameterLayout(list);
        }
    }
}
