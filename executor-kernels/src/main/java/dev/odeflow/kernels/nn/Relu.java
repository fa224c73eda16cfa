package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.List;
import java.util.SplittableRandom;

/** max(x, 0), element-wise; no parameters. */
public final class Relu implements Layer {

    private static final long serialVersionUID = 1L;

    private final MapShape shape;

    public Relu(MapShape shape) {
        if (shape == null) {
            throw new IllegalArgumentException("a ReLU needs a shape");
        }
        this.shape = shape;
    }

    @Override
    public MapShape in() {
        return shape;
    }

    @Override
    public MapShape out() {
        return shape;
    }

    @Override
    public ParameterLayout layout() {
        return new ParameterLayout(List.of());
    }

    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        Layers.checkPass(theta, offset, 0, n);
        return new Pass(n * shape.size());
    }

    @Override
    public String toString() {
        return "relu";
    }

    private static final class Pass implements Layer.Pass {
        private final double[] y;

        Pass(int len) {
            y = new double[len];
        }

        @Override
        public double[] forward(double[] x, double t) {
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(x[i], 0);
            }
            return y;
        }

        /** Masks dOut in place where the output was 0 (PyTorch's ReLU gradient at 0 is 0 too). */
        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) {
                    dOut[i] = 0;
                }
            }
            return dOut;
        }

        @Override
        public long keptBytes() {
            return 8L * y.length;
        }
    }
}
