package dev.odeflow.kernels.trajectory;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.nn.Mlp;
import dev.odeflow.kernels.solver.DifferentiableSystem;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * An autonomous vector field dy/dt = net(φ(y)) on R^d, where net is PyTorch's
 * {@code nn.Sequential(Linear(d, h1), act, Linear(h1, h2), act, ..., Linear(hk, d))} and φ an
 * {@link InputTransform}. The parameters carry the Sequential's names: layer l's weight (out×in) and bias are
 * {@code net.<2l>.weight} and {@code net.<2l>.bias} (the activations take the odd indices), so ode_demo's
 * {@code ODEFunc.state_dict()} and this layout name the same tensors (an {@link Mlp} named {@code net}).
 * Immutable; {@link #system} gives one solve's batched system.
 */
public final class MlpField implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Mlp net;
    private final InputTransform input;

    /** A field on R^dim with the given hidden widths (at least one), its tensors named {@code net.*}. */
    public MlpField(int dim, int[] hidden, Activation activation, InputTransform input) {
        this("net", dim, hidden, activation, input);
    }

    /** As above, its tensors named {@code <name>.*} (the latent ODE's field is {@code func.net}). */
    public MlpField(String name, int dim, int[] hidden, Activation activation, InputTransform input) {
        if (dim < 1 || hidden == null || hidden.length < 1 || activation == null || input == null) {
            throw new IllegalArgumentException("an MLP field needs dim >= 1, at least one hidden layer, an activation"
                    + " and an input transform");
        }
        this.net = new Mlp(name, dim, hidden, dim, activation);
        this.input = input;
    }

    public int dim() {
        return net.in();
    }

    /** The hidden widths. */
    public int[] hidden() {
        return net.hidden();
    }

    public Activation activation() {
        return net.activation();
    }

    public InputTransform input() {
        return input;
    }

    /** The network. */
    public Mlp net() {
        return net;
    }

    /** The named tensors of θ, in order. */
    public ParameterLayout layout() {
        return net.layout();
    }

    /** Number of parameters. */
    public int size() {
        return net.size();
    }

    /** PyTorch's nn.Linear default: weights and biases U(−1/√fan_in, 1/√fan_in), drawn from {@code seed}. */
    public double[] initialParameters(long seed) {
        double[] theta = new double[size()];
        net.initialize(theta, 0, new SplittableRandom(seed));
        return theta;
    }

    /** The system of n states (n×d, row-major) under parameters theta, for one solve on one thread. */
    public DifferentiableSystem system(double[] theta, int n) {
        if (theta.length != size()) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the field needs "
                    + size());
        }
        if (n < 1) {
            throw new IllegalArgumentException("need at least one state, got " + n);
        }
        return new Batch(net.pass(theta, 0, n), theta.length, n * dim());
    }

    @Override
    public String toString() {
        return net + " on " + input.label() + "(y)";
    }

    /** n states evaluated together through one pass of the network. */
    private final class Batch implements DifferentiableSystem {
        private final Mlp.Pass pass;
        private final int paramDim;
        private final int dim;

        Batch(Mlp.Pass pass, int paramDim, int dim) {
            this.pass = pass;
            this.paramDim = paramDim;
            this.dim = dim;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public int paramDim() {
            return paramDim;
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            System.arraycopy(forward(y), 0, dydt, 0, dim);
        }

        private double[] forward(double[] y) {
            double[] x = pass.input();
            for (int i = 0; i < dim; i++) {
                x[i] = input.value(y[i]);
            }
            return pass.forward();
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
            double[] out = forward(y);
            if (f != null) {
                System.arraycopy(out, 0, f, 0, dim);
            }
            double[] g = pass.backward(a, gTheta, 0);
            for (int i = 0; i < dim; i++) {
                gy[i] += g[i] * input.derivative(y[i]);
            }
            return 0;
        }
    }
}
