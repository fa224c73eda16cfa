package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.List;
import java.util.SplittableRandom;

/** x + inner(x): a residual connection around a layer that keeps the shape (the identity shortcut). */
public final class Residual implements Layer {

    private static final long serialVersionUID = 1L;

    private final Layer inner;

    public Residual(Layer inner) {
        if (inner == null || !inner.in().equals(inner.out())) {
            throw new IllegalArgumentException("a residual connection needs a layer that keeps its shape, got "
                    + (inner == null ? "none" : inner.in() + " → " + inner.out()));
        }
        this.inner = inner;
    }

    @Override
    public MapShape in() {
        return inner.in();
    }

    @Override
    public MapShape out() {
        return inner.out();
    }

    @Override
    public ParameterLayout layout() {
        return inner.layout();
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        inner.initialize(theta, offset, rng);
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        return new Pass(inner.pass(theta, offset, n), n * inner.in().size());
    }

    @Override
    public String toString() {
        return "residual " + inner;
    }

    private static final class Pass implements Layer.Pass {
        private final Layer.Pass inner;
        private final double[] y;
        private final double[] d;

        Pass(Layer.Pass inner, int len) {
            this.inner = inner;
            y = new double[len];
            d = new double[len];
        }

        @Override
        public double[] forward(double[] x, double t) {
            double[] f = inner.forward(x, t);
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i] + f[i];
            }
            return y;
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            System.arraycopy(dOut, 0, d, 0, d.length); // the inner pass may overwrite dOut
            double[] dx = inner.backward(dOut, g, gOffset);
            for (int i = 0; i < d.length; i++) {
                d[i] += dx[i];
            }
            return d;
        }

        @Override
        public double timeGradient() {
            return inner.timeGradient();
        }

        @Override
        public List<Layer.Pass> parts() {
            return inner.parts();
        }

        @Override
        public long keptBytes() {
            return inner.keptBytes();
        }
    }
}
