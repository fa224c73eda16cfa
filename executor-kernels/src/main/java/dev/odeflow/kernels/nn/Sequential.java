package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Layers applied in order, each output the next input (PyTorch's {@code nn.Sequential}); the parameters are the
 * layers' tensors in order, each under the name its layer gives it. A time t reaches every layer.
 */
public final class Sequential implements Layer {

    private static final long serialVersionUID = 1L;

    private final List<Layer> layers;
    private final int[] offsets;

    public Sequential(List<Layer> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("a sequential network needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        offsets = new int[this.layers.size() + 1];
        for (int i = 0; i < this.layers.size(); i++) {
            if (i > 0 && !this.layers.get(i).in().equals(this.layers.get(i - 1).out())) {
                throw new IllegalArgumentException("layer " + i + " (" + this.layers.get(i) + ") reads "
                        + this.layers.get(i).in() + " but layer " + (i - 1) + " gives " + this.layers.get(i - 1).out());
            }
            offsets[i + 1] = Math.addExact(offsets[i], this.layers.get(i).size());
        }
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public MapShape in() {
        return layers.get(0).in();
    }

    @Override
    public MapShape out() {
        return layers.get(layers.size() - 1).out();
    }

    @Override
    public int size() {
        return offsets[layers.size()];
    }

    @Override
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        for (Layer l : layers) {
            for (NamedTensor t : l.layout().tensors()) {
                b.add(t.name(), t.shape());
            }
        }
        return b.build();
    }

    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).initialize(theta, offset + offsets[i], rng);
        }
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        Layers.checkPass(theta, offset, size(), n);
        Layer.Pass[] passes = new Layer.Pass[layers.size()];
        for (int i = 0; i < passes.length; i++) {
            passes[i] = layers.get(i).pass(theta, offset + offsets[i], n);
        }
        return new Pass(passes);
    }

    @Override
    public String toString() {
        return "sequential " + layers;
    }

    private final class Pass implements Layer.Pass {
        private final Layer.Pass[] passes;
        private double timeGradient;

        Pass(Layer.Pass[] passes) {
            this.passes = passes;
        }

        @Override
        public double[] forward(double[] x, double t) {
            double[] h = x;
            for (Layer.Pass p : passes) {
                h = p.forward(h, t);
            }
            return h;
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            double[] d = dOut;
            timeGradient = 0;
            for (int i = passes.length - 1; i >= 0; i--) {
                d = passes[i].backward(d, g, gOffset + offsets[i]);
                timeGradient += passes[i].timeGradient();
            }
            return d;
        }

        @Override
        public double timeGradient() {
            return timeGradient;
        }

        @Override
        public List<Layer.Pass> parts() {
            List<Layer.Pass> all = new ArrayList<>();
            for (Layer.Pass p : passes) {
                all.addAll(p.parts());
            }
            return all;
        }

        @Override
        public long keptBytes() {
            long s = 0;
            for (Layer.Pass p : passes) {
                s += p.keptBytes();
            }
            return s;
        }
    }
}
