package dev.odeflow.kernels.trajectory;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.solver.DifferentiableSystem;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An autonomous vector field dy/dt = net(φ(y)) on R^d, where net is PyTorch's
 * {@code nn.Sequential(Linear(d, h1), act, Linear(h1, h2), act, ..., Linear(hk, d))} and φ an
 * {@link InputTransform}. The parameters carry the Sequential's names: layer l's weight (out×in) and bias are
 * {@code net.<2l>.weight} and {@code net.<2l>.bias} (the activations take the odd indices), so ode_demo's
 * {@code ODEFunc.state_dict()} and this layout name the same tensors. Products go through {@link Gemm}.
 * Immutable; {@link #system} gives one solve's batched system.
 */
public final class MlpField implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] widths;
    private final Activation activation;
    private final InputTransform input;
    /** Per layer: where its weight and its bias start in θ. */
    private final int[] weightAt;
    private final int[] biasAt;
    private final int size;

    /** A field on R^dim with the given hidden widths (at least one). */
    public MlpField(int dim, int[] hidden, Activation activation, InputTransform input) {
        if (dim < 1 || hidden == null || hidden.length < 1 || activation == null || input == null) {
            throw new IllegalArgumentException("an MLP field needs dim >= 1, at least one hidden layer, an activation"
                    + " and an input transform");
        }
        widths = new int[hidden.length + 2];
        widths[0] = dim;
        widths[widths.length - 1] = dim;
        for (int l = 0; l < hidden.length; l++) {
            if (hidden[l] < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
            widths[l + 1] = hidden[l];
        }
        this.activation = activation;
        this.input = input;
        ParameterLayout layout = layout();
        weightAt = new int[widths.length - 1];
        biasAt = new int[widths.length - 1];
        for (int l = 0; l + 1 < widths.length; l++) {
            weightAt[l] = layout.tensors().get(2 * l).offset();
            biasAt[l] = layout.tensors().get(2 * l + 1).offset();
        }
        size = layout.size();
    }

    public int dim() {
        return widths[0];
    }

    /** The hidden widths. */
    public int[] hidden() {
        return Arrays.copyOfRange(widths, 1, widths.length - 1);
    }

    public Activation activation() {
        return activation;
    }

    public InputTransform input() {
        return input;
    }

    /** The named tensors of θ, in order. */
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        for (int l = 0; l + 1 < widths.length; l++) {
            b.add("net." + 2 * l + ".weight", widths[l + 1], widths[l]);
            b.add("net." + 2 * l + ".bias", widths[l + 1]);
        }
        return b.build();
    }

    /** Number of parameters. */
    public int size() {
        return size;
    }

    /** PyTorch's nn.Linear default: weights and biases U(−1/√fan_in, 1/√fan_in), drawn from {@code seed}. */
    public double[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[size];
        for (NamedTensor t : layout().tensors()) {
            int layer = Integer.parseInt(t.name().split("\\.")[1]) / 2;
            double bound = 1 / Math.sqrt(widths[layer]);
            for (int i = 0; i < t.size(); i++) {
                theta[t.offset() + i] = (2 * rng.nextDouble() - 1) * bound;
            }
        }
        return theta;
    }

    /** The system of n states (n×d, row-major) under parameters theta, for one solve on one thread. */
    public DifferentiableSystem system(double[] theta, int n) {
        if (theta.length != size) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the field needs "
                    + size);
        }
        if (n < 1) {
            throw new IllegalArgumentException("need at least one state, got " + n);
        }
        return new Batch(theta, n);
    }

    @Override
    public String toString() {
        return "mlp " + Arrays.toString(widths) + " " + activation.label() + " on " + input.label() + "(y)";
    }

    /** n states evaluated together: the forward pass keeps each layer's pre-activations for the VJP. */
    private final class Batch implements DifferentiableSystem {
        private final double[] theta;
        private final int n;
        private final int layers = widths.length - 1;
        /** Per layer: Wᵀ (in×out) and W (out×in), copied out of θ once. */
        private final double[][] wt = new double[layers][];
        private final double[][] w = new double[layers][];
        /** Per layer: its input (n×in) and its pre-activation (n×out). */
        private final double[][] in = new double[layers][];
        private final double[][] pre = new double[layers][];
        private final double[][] grad = new double[layers + 1][];
        private final double[][] gwt = new double[layers][];

        Batch(double[] theta, int n) {
            this.theta = theta;
            this.n = n;
            for (int l = 0; l < layers; l++) {
                int a = widths[l];
                int b = widths[l + 1];
                w[l] = Arrays.copyOfRange(theta, weightAt[l], weightAt[l] + a * b);
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

        @Override
        public int dim() {
            return n * widths[0];
        }

        @Override
        public int paramDim() {
            return theta.length;
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            forward(y);
            System.arraycopy(pre[layers - 1], 0, dydt, 0, dim());
        }

        private void forward(double[] y) {
            double[] x = in[0];
            for (int i = 0; i < dim(); i++) {
                x[i] = input.value(y[i]);
            }
            for (int l = 0; l < layers; l++) {
                int b = widths[l + 1];
                Gemm.mul(in[l], wt[l], pre[l], n, widths[l], b);
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < b; o++) {
                        pre[l][r * b + o] += theta[biasAt[l] + o];
                    }
                }
                if (l + 1 < layers) {
                    double[] next = in[l + 1];
                    for (int i = 0; i < n * b; i++) {
                        next[i] = activation.value(pre[l][i]);
                    }
                }
            }
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
            forward(y);
            if (f != null) {
                System.arraycopy(pre[layers - 1], 0, f, 0, dim());
            }
            double[] g = grad[layers];
            System.arraycopy(a, 0, g, 0, dim());
            for (int l = layers - 1; l >= 0; l--) {
                int ia = widths[l];
                int ob = widths[l + 1];
                if (l + 1 < layers) {
                    for (int i = 0; i < n * ob; i++) {
                        g[i] *= activation.d1(pre[l][i], in[l + 1][i]);
                    }
                }
                int wOff = weightAt[l];
                int bOff = biasAt[l];
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
            for (int i = 0; i < dim(); i++) {
                gy[i] += g[i] * input.derivative(y[i]);
            }
            return 0;
        }
    }
}
