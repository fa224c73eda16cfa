package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.nn.Layer;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolveStats;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * torchdiffeq's {@code ODEBlock} as a layer: the feature map is the state of dz/dt = f(t, z), f a network that
 * keeps the shape and reads t through its time channels, solved from 0 to the end time; the output is z(T). Its
 * gradient comes from the solve's gradient method (the backsolve adjoint: ODE-Net, memory independent of the
 * steps; direct backprop: RK-Net), and dL/dθ of f arrives as aᵀ∂f/∂θ accumulated by that method.
 */
public final class OdeBlock implements Layer {

    private static final long serialVersionUID = 1L;

    /**
     * How the block is solved.
     *
     * @param solver  the solver
     * @param method  the gradient method; null when the block only evaluates (then it keeps nothing)
     * @param adjoint the backsolve adjoint's reverse-solve settings
     */
    public record Solve(SolverConfig solver, GradientMethod method, AdjointOptions adjoint) implements Serializable {
        public Solve {
            if (solver == null || adjoint == null) {
                throw new IllegalArgumentException("an ODE block's solve needs a solver and adjoint options");
            }
        }
    }

    private final Layer field;
    private final double endTime;
    private final Solve solve;

    public OdeBlock(Layer field, double endTime, Solve solve) {
        if (field == null || !field.in().equals(field.out())) {
            throw new IllegalArgumentException("an ODE block needs a field that keeps the shape, got "
                    + (field == null ? "none" : field.in() + " → " + field.out()));
        }
        if (!(endTime > 0) || !Double.isFinite(endTime) || solve == null) {
            throw new IllegalArgumentException("an ODE block needs an end time > 0 and a solve");
        }
        this.field = field;
        this.endTime = endTime;
        this.solve = solve;
    }

    @Override
    public MapShape in() {
        return field.in();
    }

    @Override
    public MapShape out() {
        return field.out();
    }

    @Override
    public ParameterLayout layout() {
        return field.layout();
    }

    @Override
    public int size() {
        return field.size();
    }

    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        field.initialize(theta, offset, rng);
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        return new Pass(field.pass(theta, offset, n), n * field.in().size(), field.size());
    }

    @Override
    public String toString() {
        return "ode block [0, " + endTime + "] " + solve.solver() + " of " + field;
    }

    /** The forward solves' work summed over the ODE blocks of a pass (zero without one). */
    static SolveStats forwardStats(Layer.Pass pass) {
        SolveStats s = SolveStats.ZERO;
        for (Layer.Pass p : pass.parts()) {
            if (p instanceof Pass b) {
                s = s.plus(b.forwardStats);
            }
        }
        return s;
    }

    /** The backward passes' work summed over the ODE blocks of a pass (zero without one). */
    static SolveStats backwardStats(Layer.Pass pass) {
        SolveStats s = SolveStats.ZERO;
        for (Layer.Pass p : pass.parts()) {
            if (p instanceof Pass b) {
                s = s.plus(b.backwardStats);
            }
        }
        return s;
    }

    private final class Pass implements Layer.Pass {
        private final Field system;
        private ForwardPass kept;
        private SolveStats forwardStats = SolveStats.ZERO;
        private SolveStats backwardStats = SolveStats.ZERO;

        Pass(Layer.Pass field, int dim, int paramDim) {
            system = new Field(field, dim, paramDim);
        }

        @Override
        public double[] forward(double[] x, double t) {
            double[] times = {0, endTime};
            if (solve.method() == null) {
                var s = RungeKutta.solve(system, x, times, solve.solver());
                forwardStats = s.stats();
                return s.last();
            }
            kept = Gradients.forward(system, x, times, solve.solver(), solve.method(), solve.adjoint());
            forwardStats = kept.solution().stats();
            return kept.solution().last();
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            if (kept == null) {
                throw new IllegalStateException("this ODE block was solved without a gradient method or has already"
                        + " been differentiated");
            }
            Sensitivities s = kept.backward(new double[][] {null, dOut});
            kept = null;
            backwardStats = s.stats();
            double[] gTheta = s.theta();
            for (int i = 0; i < gTheta.length; i++) {
                g[gOffset + i] += gTheta[i];
            }
            return s.y0();
        }

        @Override
        public long keptBytes() {
            return kept == null ? 0 : kept.retainedBytes();
        }
    }

    /** f(t, z) over n feature maps as the solver's system: its VJP is the network's reverse pass. */
    private static final class Field implements DifferentiableSystem {
        private final Layer.Pass net;
        private final int dim;
        private final int paramDim;
        private final double[] cotangent;

        Field(Layer.Pass net, int dim, int paramDim) {
            this.net = net;
            this.dim = dim;
            this.paramDim = paramDim;
            cotangent = new double[dim];
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
            System.arraycopy(net.forward(y, t), 0, dydt, 0, dim);
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
            double[] out = net.forward(y, t);
            if (f != null) {
                System.arraycopy(out, 0, f, 0, dim);
            }
            System.arraycopy(a, 0, cotangent, 0, dim); // the reverse pass may overwrite its input
            double[] dx = net.backward(cotangent, gTheta, 0);
            for (int i = 0; i < dim; i++) {
                gy[i] += dx[i];
            }
            return net.timeGradient();
        }
    }
}
