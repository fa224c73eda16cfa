package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Linear(in, out)} after a {@code Flatten}: {@code <name>.weight} (out×in) and
 * {@code <name>.bias}. The input is flattened channels-last, which is PyTorch's channels-first order only when
 * the map has one channel or is 1×1; other inputs are refused.
 */
public final class Linear implements Layer {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final MapShape in;
    private final int outs;

    public Linear(String name, MapShape in, int out) {
        if (name == null || in == null || out < 1) {
            throw new IllegalArgumentException("a linear layer needs a name, an input shape and out >= 1");
        }
        if (in.channels() > 1 && in.positions() > 1) {
            throw new IllegalArgumentException("a linear layer reads a vector or a one-channel map, got " + in
                    + " (pool or flatten the channels first)");
        }
        this.name = name;
        this.in = in;
        this.outs = out;
    }

    @Override
    public MapShape in() {
        return in;
    }

    @Override
    public MapShape out() {
        return MapShape.vector(outs);
    }

    @Override
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        b.add(name + ".weight", outs, in.size());
        b.add(name + ".bias", outs);
        return b.build();
    }

    /** PyTorch's default: weight and bias U(−1/√in, 1/√in). */
    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        double bound = 1 / Math.sqrt(in.size());
        for (int i = 0; i < size(); i++) {
            theta[offset + i] = (2 * rng.nextDouble() - 1) * bound;
        }
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        return new Pass(theta, offset, n);
    }

    @Override
    public String toString() {
        return name + " linear " + in.size() + "→" + outs;
    }

    private final class Pass implements Layer.Pass {
        private final int n;
        private final int k = in.size();
        private final double[] w;
        private final double[] wt;
        private final double[] bias;
        private final double[] y;
        private final double[] dx;
        private final double[] gwt;
        private double[] x;

        Pass(double[] theta, int offset, int n) {
            Layers.checkPass(theta, offset, size(), n);
            this.n = n;
            w = Arrays.copyOfRange(theta, offset, offset + outs * k);
            bias = Arrays.copyOfRange(theta, offset + outs * k, offset + outs * k + outs);
            wt = Layers.transpose(w, outs, k);
            y = new double[n * outs];
            dx = new double[n * k];
            gwt = new double[k * outs];
        }

        @Override
        public double[] forward(double[] input, double t) {
            x = input;
            Gemm.mul(input, wt, y, n, k, outs);
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < outs; o++) {
                    y[r * outs + o] += bias[o];
                }
            }
            return y;
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            Arrays.fill(gwt, 0);
            Gemm.mulAddTransposed(x, dOut, gwt, n, k, outs);
            Layers.addTransposed(gwt, k, outs, g, gOffset);
            Layers.addColumnSums(dOut, n, outs, g, gOffset + outs * k);
            Gemm.mul(dOut, w, dx, n, outs, k);
            return dx;
        }

        @Override
        public long keptBytes() {
            return 0; // the input belongs to the layer before
        }
    }
}
