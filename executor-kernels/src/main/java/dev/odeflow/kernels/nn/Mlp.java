package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Sequential(Linear(in, h1), act, Linear(h1, h2), act, ..., Linear(hk, out))} on rows: layer
 * l's weight (out×in) and bias are {@code <prefix>.<2l>.weight} and {@code <prefix>.<2l>.bias} (the activations
 * take the odd indices), so a module's {@code state_dict()} and this layout name the same tensors. Its parameters
 * sit at an offset of a larger θ. Immutable; {@link #pass} gives one thread's evaluations of n rows.
 */
public final class Mlp implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String prefix;
    private final int[] widths;
    private final Activation activation;

    /** A network in → hidden... → out (no hidden layer: one Linear). */
    public Mlp(String prefix, int in, int[] hidden, int out, Activation activation) {
        if (prefix == null || prefix.isBlank() || in < 1 || out < 1 || hidden == null || activation == null) {
            throw new IllegalArgumentException("an MLP needs a name, in >= 1, out >= 1, hidden widths and an"
                    + " activation");
        }
        widths = new int[hidden.length + 2];
        widths[0] = in;
        widths[widths.length - 1] = out;
        for (int l = 0; l < hidden.length; l++) {
            if (hidden[l] < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
            widths[l + 1] = hidden[l];
        }
        this.prefix = prefix;
        this.activation = activation;
    }

    public int in() {
        return widths[0];
    }

    public int out() {
        return widths[widths.length - 1];
    }

    /** The hidden widths. */
    public int[] hidden() {
        return Arrays.copyOfRange(widths, 1, widths.length - 1);
    }

    public Activation activation() {
        return activation;
    }

    /** The named tensors, offsets from 0. */
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        for (int l = 0; l + 1 < widths.length; l++) {
            b.add(prefix + "." + 2 * l + ".weight", widths[l + 1], widths[l]);
            b.add(prefix + "." + 2 * l + ".bias", widths[l + 1]);
        }
        return b.build();
    }

    public int size() {
        int n = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            n += (widths[l] + 1) * widths[l + 1];
        }
        return n;
    }

    /**
     * PyTorch's nn.Linear default into θ[offset ..): weights and biases U(−1/√fan_in, 1/√fan_in), in layout order.
     */
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        int at = offset;
        for (int l = 0; l + 1 < widths.length; l++) {
            double bound = 1 / Math.sqrt(widths[l]);
            int n = (widths[l] + 1) * widths[l + 1]; // the weight, then the bias
            for (int i = 0; i < n; i++) {
                theta[at + i] = (2 * rng.nextDouble() - 1) * bound;
            }
            at += n;
        }
    }

    /** n rows under the parameters at θ[offset ..), for one thread: the weights are copied out once. */
    public Pass pass(double[] theta, int offset, int n) {
        if (offset < 0 || theta.length < offset + size()) {
            throw new IllegalArgumentException("parameter vector of " + theta.length + " entries has no room for "
                    + size() + " parameters at " + offset);
        }
        if (n < 1) {
            throw new IllegalArgumentException("need at least one row, got " + n);
        }
        return new Pass(theta, offset, n);
    }

    @Override
    public String toString() {
        return prefix + " mlp " + Arrays.toString(widths) + " " + activation.label();
    }

    /** One thread's forward and reverse passes over n rows; the forward keeps what the reverse needs. */
    public final class Pass {
        private final int n;
        private final int layers = widths.length - 1;
        private final double[] theta;
        private final int offset;
        /** Per layer: Wᵀ (in×out) and W (out×in). */
        private final double[][] wt = new double[layers][];
        private final double[][] w = new double[layers][];
        /** Per layer: its input (n×in) and pre-activation (n×out). */
        private final double[][] in = new double[layers][];
        private final double[][] pre = new double[layers][];
        private final double[][] grad = new double[layers + 1][];
        private final double[][] gwt = new double[layers][];
        /** Per layer: where its weight and bias start, relative to the network's offset. */
        private final int[] weightAt = new int[layers];
        private final int[] biasAt = new int[layers];

        Pass(double[] theta, int offset, int n) {
            this.n = n;
            this.theta = theta;
            this.offset = offset;
            ParameterLayout layout = layout();
            for (int l = 0; l < layers; l++) {
                int a = widths[l];
                int b = widths[l + 1];
                weightAt[l] = layout.tensors().get(2 * l).offset();
                biasAt[l] = layout.tensors().get(2 * l + 1).offset();
                w[l] = Arrays.copyOfRange(theta, offset + weightAt[l], offset + weightAt[l] + a * b);
                wt[l] = new double[a * b];
                for (int o = 0; o < b; o++) {
                    for (int k = 0; k < a; k++) {
                        wt[l][k * b + o] = w[l][o * a + k];
                    }
                }
                in[l] = new double[n * a];
                pre[l] = new double[n * b];
                gwt[l] = new double[a * b];
            }
            for (int l = 0; l <= layers; l++) {
                grad[l] = new double[n * widths[l]];
            }
        }

        /** The input buffer (n×in) that {@link #forward()} reads: fill it, then call forward. */
        public double[] input() {
            return in[0];
        }

        /** Evaluates the rows of {@link #input()}; the returned output (n×out) is owned by the pass. */
        public double[] forward() {
            for (int l = 0; l < layers; l++) {
                int b = widths[l + 1];
                Gemm.mul(in[l], wt[l], pre[l], n, widths[l], b);
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < b; o++) {
                        pre[l][r * b + o] += theta[offset + biasAt[l] + o];
                    }
                }
                if (l + 1 < layers) {
                    double[] next = in[l + 1];
                    for (int i = 0; i < n * b; i++) {
                        next[i] = activation.value(pre[l][i]);
                    }
                }
            }
            return pre[layers - 1];
        }

        /**
         * The reverse of the last {@link #forward()}: with dOut = ∂L/∂output (n×out), adds ∂L/∂θ into
         * gTheta[gOffset ..) and returns ∂L/∂input (n×in, owned by the pass).
         */
        public double[] backward(double[] dOut, double[] gTheta, int gOffset) {
            double[] g = grad[layers];
            System.arraycopy(dOut, 0, g, 0, n * out());
            for (int l = layers - 1; l >= 0; l--) {
                int ia = widths[l];
                int ob = widths[l + 1];
                if (l + 1 < layers) {
                    for (int i = 0; i < n * ob; i++) {
                        g[i] *= activation.d1(pre[l][i], in[l + 1][i]);
                    }
                }
                int wOff = gOffset + weightAt[l];
                int bOff = gOffset + biasAt[l];
                Arrays.fill(gwt[l], 0);
                Gemm.mulAddTransposed(in[l], g, gwt[l], n, ia, ob);
                for (int o = 0; o < ob; o++) {
                    for (int k = 0; k < ia; k++) {
                        gTheta[wOff + o * ia + k] += gwt[l][k * ob + o];
                    }
                    double s = 0;
                    for (int r = 0; r < n; r++) {
                        s += g[r * ob + o];
                    }
                    gTheta[bOff + o] += s;
                }
                Gemm.mul(g, w[l], grad[l], n, ob, ia);
                g = grad[l];
            }
            return g;
        }
    }
}
