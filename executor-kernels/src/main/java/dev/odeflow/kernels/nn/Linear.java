package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.dynamics.Precision;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Linear(in, out)} after a {@code Flatten}: {@code <name>.weight} (out×in) and
 * {@code <name>.bias}. The input is flattened channels-last, which is PyTorch's channels-first order only when
 * the map has one channel or is 1×1; other inputs are refused. The products run in the layer's {@link Precision}
 * ({@link Operand}: a pass keeps its input's copy in that precision for the reverse).
 */
public final class Linear implements Layer {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final MapShape in;
    private final int outs;
    private final Precision precision;

    /** A linear layer whose products run in double. */
    public Linear(String name, MapShape in, int out) {
        this(name, in, out, Precision.FLOAT64);
    }

    public Linear(String name, MapShape in, int out, Precision precision) {
        if (name == null || in == null || out < 1 || precision == null) {
            throw new IllegalArgumentException("a linear layer needs a name, an input shape, out >= 1 and a"
                    + " precision");
        }
        if (in.channels() > 1 && in.positions() > 1) {
            throw new IllegalArgumentException("a linear layer reads a vector or a one-channel map, got " + in
                    + " (pool or flatten the channels first)");
        }
        this.name = name;
        this.in = in;
        this.outs = out;
        this.precision = precision;
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
        return name + " linear " + in.size() + "→" + outs
                + (precision == Precision.FLOAT64 ? "" : " " + precision.label());
    }

    private final class Pass implements Layer.Pass {
        private final int n;
        private final int k = in.size();
        private final double[] bias;
        /** The input (n×k) with the weight as a k×out matrix; the reverse overwrites it with dOut·W. */
        private final Operand x;
        private final double[] y;
        private final double[] dx;
        private final double[] gwt;
        /** Whether x holds the last forward's input (the reverse overwrites it). */
        private boolean fresh;
        private double[] last;

        Pass(double[] theta, int offset, int n) {
            Layers.checkPass(theta, offset, size(), n);
            this.n = n;
            bias = Arrays.copyOfRange(theta, offset + outs * k, offset + outs * k + outs);
            x = Operand.of(precision, Layers.transpose(Arrays.copyOfRange(theta, offset, offset + outs * k), outs, k),
                    n, k, outs);
            y = new double[n * outs];
            dx = new double[n * k];
            gwt = new double[k * outs];
        }

        @Override
        public double[] forward(double[] input, double t) {
            last = input;
            x.copy(input, 0, 0, n * k);
            fresh = true;
            x.forward(y);
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < outs; o++) {
                    y[r * outs + o] += bias[o];
                }
            }
            return y;
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            if (last == null) {
                throw new IllegalStateException("a linear layer's reverse needs a forward before it");
            }
            if (!fresh) {
                x.copy(last, 0, 0, n * k); // a second reverse of the same forward: the first overwrote the copy
            }
            x.weightGradient(dOut, gwt);
            Layers.addTransposed(gwt, k, outs, g, gOffset);
            Layers.addColumnSums(dOut, n, outs, g, gOffset + outs * k);
            fresh = false;
            x.backward(dOut);
            Arrays.fill(dx, 0);
            x.addTo(0, dx, 0, n * k);
            return dx;
        }

        @Override
        public long keptBytes() {
            return x.bytes();
        }
    }
}
