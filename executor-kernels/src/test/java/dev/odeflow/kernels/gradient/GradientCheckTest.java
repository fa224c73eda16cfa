package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.cnf.AugmentedState;
import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.solver.ErrorNorm;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.StepMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every gradient method, for a neural ODE and for a CNF, against central finite differences in double:
 * θ, the initial state, t0, the end time and an interior observation time, with a loss on all three.
 * Covers adaptive dopri5 and the three fixed-step modes (steps per interval, a step size, a time grid), the
 * exact trace and Hutchinson's estimator with its noise held fixed, the backsolve adjoint's seminorm and
 * adjoint tolerances that differ from the forward's, and those adjoint options handed to the discrete methods.
 * The RNODE regularizers' states (E_kin, E_jac, alone and together, exact and Hutchinson) are checked the same way
 * for every method, with the loss weighting them like any other state.
 */
class GradientCheckTest {

    private static final int N = 3;
    private static final double[] TIMES = {0.1, 0.45, 0.8};
    private static final SolverConfig TIGHT = SolverConfig.adaptive(Method.DOPRI5, 1e-12, 1e-12);
    private static final SolverConfig RK4_STEPS = SolverConfig.fixedSteps(Method.RK4, 6);
    /** Seed of the Hutchinson noise; every evaluation of a case (gradient and differences) uses the same probe. */
    private static final long NOISE_SEED = 20240601L;

    /** What the state carries: a plain neural ODE, or a CNF with the exact trace or a Hutchinson estimate. */
    enum Trace {
        NONE, EXACT, RADEMACHER, GAUSSIAN;

        boolean cnf() {
            return this != NONE;
        }

        Probe probe() {
            return switch (this) {
                case NONE -> Probe.none();
                case EXACT -> Probe.exact(2);
                case RADEMACHER -> Probe.noise(Divergence.RADEMACHER, N, 2, NOISE_SEED);
                case GAUSSIAN -> Probe.noise(Divergence.GAUSSIAN, N, 2, NOISE_SEED);
            };
        }
    }

    /**
     * The solver for a given time array. Most are constant; a fixed grid has to start and end on the
     * (perturbed) t0 and t1 while its interior points stay put, which is what the discrete methods assume.
     */
    @FunctionalInterface
    interface Solver extends Function<double[], SolverConfig> {
    }

    /** Relative error allowed against the differences (max abs error over the largest difference). */
    private static final double TOL = 1e-6;

    /**
     * One check: a gradient method on a solver, with backward options, for a neural ODE or a CNF, whose state may
     * carry the RNODE integrals of {@code reg}.
     */
    record Case(String name, GradientMethod method, Solver solver, AdjointOptions adjoint, Trace trace,
                Regularization reg) {
        @Override
        public String toString() {
            return name + " / " + switch (trace) {
                case NONE -> "neural ODE";
                case EXACT -> "CNF";
                case RADEMACHER -> "CNF, Rademacher noise";
                case GAUSSIAN -> "CNF, Gaussian noise";
            } + (reg.kinetic() ? " + E_kin" : "") + (reg.jacobian() ? " + E_jac" : "");
        }
    }

    /** Grid points strictly inside (t0, t1): non-uniform, and not containing the observation time 0.45. */
    private static final double[] GRID_INTERIOR = {0.17, 0.26, 0.33, 0.41, 0.5, 0.56, 0.63, 0.71};

    static double[] grid(double[] times, double[] interior) {
        double[] g = new double[interior.length + 2];
        g[0] = times[0];
        System.arraycopy(interior, 0, g, 1, interior.length);
        g[g.length - 1] = times[times.length - 1];
        return g;
    }

    static double[] uniformInterior(double t0, double t1, int steps) {
        double[] g = new double[steps - 1];
        for (int i = 1; i < steps; i++) {
            g[i - 1] = t0 + (t1 - t0) * i / steps;
        }
        return g;
    }

    static Stream<Arguments> cases() {
        AdjointOptions tight = new AdjointOptions(1e-12, 1e-12, false);
        AdjointOptions semi = new AdjointOptions(1e-12, 1e-12, true);
        // reverse-solve tolerances of their own, looser than the forward's 1e-12 (and rtol != atol)
        AdjointOptions ownTol = new AdjointOptions(1e-9, 1e-10, false);
        AdjointOptions ownTolSemi = new AdjointOptions(1e-9, 1e-10, true);
        // options the discrete methods must ignore: a seminorm and tolerances far from the forward's
        AdjointOptions ignored = new AdjointOptions(1e-3, 1e-4, true);
        Solver tightS = ts -> TIGHT;
        Solver rk4Steps = ts -> RK4_STEPS;
        Solver rk4Size = ts -> SolverConfig.fixedSize(Method.RK4, 0.06);
        Solver rk4Grid = ts -> SolverConfig.fixedGrid(Method.RK4, grid(ts, GRID_INTERIOR));
        // The backsolve adjoint is no discrete map's gradient: its reverse solve takes its own fixed steps, so
        // its error is O(h⁴); with h = 0.01 (or a 90-point grid) that is about 1e-9 relative, under TOL.
        Solver rk4FineSize = ts -> SolverConfig.fixedSize(Method.RK4, 0.01);
        Solver rk4FineGrid = ts -> SolverConfig.fixedGrid(Method.RK4, grid(ts, uniformInterior(0.1, 0.8, 90)));
        Solver tightSeminorm = ts -> TIGHT.withNorm(new ErrorNorm(2 * N)); // z only, Δlogp out of step control

        Stream.Builder<Arguments> b = Stream.builder();
        for (Trace trace : new Trace[] {Trace.NONE, Trace.EXACT}) {
            b.add(c("backsolve adjoint", GradientMethod.BACKSOLVE_ADJOINT, tightS, tight, trace));
            b.add(c("backsolve adjoint, seminorm", GradientMethod.BACKSOLVE_ADJOINT, tightS, semi, trace));
            b.add(c("backsolve adjoint, own tolerances", GradientMethod.BACKSOLVE_ADJOINT, tightS, ownTol, trace));
            b.add(c("backsolve adjoint, own tolerances + seminorm", GradientMethod.BACKSOLVE_ADJOINT, tightS,
                    ownTolSemi, trace));
            b.add(c("checkpointed adjoint", GradientMethod.CHECKPOINTED_ADJOINT, tightS, tight, trace));
            b.add(c("checkpointed adjoint, seminorm + own adjoint tolerances", GradientMethod.CHECKPOINTED_ADJOINT,
                    tightS, ignored, trace));
            b.add(c("direct backprop, dopri5", GradientMethod.DIRECT_BACKPROP, tightS, tight, trace));
            b.add(c("direct backprop, dopri5, seminorm + own adjoint tolerances", GradientMethod.DIRECT_BACKPROP,
                    tightS, ignored, trace));
            b.add(c("direct backprop, rk4 discrete map", GradientMethod.DIRECT_BACKPROP, rk4Steps, tight, trace));
            b.add(c("checkpointed, rk4 discrete map", GradientMethod.CHECKPOINTED_ADJOINT, rk4Steps, tight, trace));
            // Step-size mode: the solve's step points t0 + i·h move with t0, but the discrete methods hold them
            // fixed for dL/dt0 (DiscreteAdjoint does so outside FIXED_STEPS), so dL/dt0 differs from the
            // differences by about 7e-9 (relative 2e-8 here, against 1e-10 for every other entry): inside TOL.
            b.add(c("direct backprop, rk4 step size", GradientMethod.DIRECT_BACKPROP, rk4Size, tight, trace));
            b.add(c("checkpointed, rk4 step size", GradientMethod.CHECKPOINTED_ADJOINT, rk4Size, tight, trace));
            b.add(c("backsolve adjoint, rk4 step size", GradientMethod.BACKSOLVE_ADJOINT, rk4FineSize, tight, trace));
            b.add(c("direct backprop, rk4 grid", GradientMethod.DIRECT_BACKPROP, rk4Grid, tight, trace));
            b.add(c("checkpointed, rk4 grid", GradientMethod.CHECKPOINTED_ADJOINT, rk4Grid, tight, trace));
            b.add(c("backsolve adjoint, rk4 grid", GradientMethod.BACKSOLVE_ADJOINT, rk4FineGrid, tight, trace));
        }
        b.add(c("checkpointed adjoint, forward seminorm", GradientMethod.CHECKPOINTED_ADJOINT, tightSeminorm, tight,
                Trace.EXACT));
        b.add(c("direct backprop, forward seminorm", GradientMethod.DIRECT_BACKPROP, tightSeminorm, tight,
                Trace.EXACT));
        for (Trace noise : new Trace[] {Trace.RADEMACHER, Trace.GAUSSIAN}) {
            b.add(c("backsolve adjoint", GradientMethod.BACKSOLVE_ADJOINT, tightS, tight, noise));
            b.add(c("backsolve adjoint, seminorm", GradientMethod.BACKSOLVE_ADJOINT, tightS, semi, noise));
            b.add(c("checkpointed adjoint", GradientMethod.CHECKPOINTED_ADJOINT, tightS, tight, noise));
            b.add(c("direct backprop, rk4 discrete map", GradientMethod.DIRECT_BACKPROP, rk4Steps, tight, noise));
        }
        Regularization[] regs = {new Regularization(1, 0), new Regularization(0, 1), new Regularization(0.5, 2)};
        for (Regularization reg : regs) {
            for (Trace trace : new Trace[] {Trace.EXACT, Trace.RADEMACHER}) {
                b.add(r("backsolve adjoint", GradientMethod.BACKSOLVE_ADJOINT, tightS, tight, trace, reg));
                b.add(r("checkpointed adjoint", GradientMethod.CHECKPOINTED_ADJOINT, tightS, tight, trace, reg));
                b.add(r("direct backprop, rk4 discrete map", GradientMethod.DIRECT_BACKPROP, rk4Steps, tight, trace,
                        reg));
            }
        }
        b.add(r("direct backprop, dopri5", GradientMethod.DIRECT_BACKPROP, tightS, tight, Trace.GAUSSIAN, regs[2]));
        b.add(r("backsolve adjoint, seminorm", GradientMethod.BACKSOLVE_ADJOINT, tightS, semi, Trace.EXACT, regs[2]));
        b.add(r("neural ODE kinetic energy", GradientMethod.BACKSOLVE_ADJOINT, tightS, tight, Trace.NONE, regs[0]));
        return b.build();
    }

    private static Arguments c(String name, GradientMethod m, Solver s, AdjointOptions a, Trace t) {
        return r(name, m, s, a, t, Regularization.none());
    }

    private static Arguments r(String name, GradientMethod m, Solver s, AdjointOptions a, Trace t,
                               Regularization reg) {
        return Arguments.of(new Case(name, m, s, a, t, reg));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        OdeNet net = new OdeNet(new int[] {2, 6, 6, 2}, LayerKind.CONCATSQUASH, Activation.TANH);
        Random rng = new Random(11);
        double[] theta = net.initialParameters(rng);
        int stateDim = new AugmentedState(N, 2, c.trace.cnf(), c.reg).size();
        double[] y0 = new double[stateDim];
        for (int i = 0; i < 2 * N; i++) {
            y0[i] = rng.nextGaussian();
        }
        double[][] weights = new double[TIMES.length][stateDim];
        for (double[] row : weights) {
            for (int i = 0; i < stateDim; i++) {
                row[i] = rng.nextGaussian();
            }
        }
        Probe probe = c.trace.probe();
        Function<double[], CnfSystem> system = th -> new CnfSystem(net, th, N, probe, c.reg, 1);

        ForwardPass fp = Gradients.forward(system.apply(theta), y0, TIMES, c.solver.apply(TIMES), c.method,
                c.adjoint);
        double[][] states = fp.solution().states();
        double[][] dLdy = new double[TIMES.length][];
        for (int k = 0; k < TIMES.length; k++) {
            dLdy[k] = weights[k].clone();
            if (k == TIMES.length - 1) {
                for (int i = 0; i < stateDim; i++) {
                    dLdy[k][i] += states[k][i];
                }
            }
        }
        Sensitivities g = fp.backward(dLdy);

        boolean discreteMap = c.solver.apply(TIMES).mode() != StepMode.ADAPTIVE;
        double eps = discreteMap ? 1e-5 : 1e-4;
        Loss loss = (th, y, ts) -> {
            double[][] s = RungeKutta.solve(system.apply(th), y, ts, solvedBy(c, ts)).states();
            double l = 0;
            for (int k = 0; k < ts.length; k++) {
                for (int i = 0; i < stateDim; i++) {
                    l += weights[k][i] * s[k][i];
                }
            }
            for (int i = 0; i < stateDim; i++) {
                l += 0.5 * s[ts.length - 1][i] * s[ts.length - 1][i];
            }
            return l;
        };
        double[] fdTheta = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[j] += eps;
            m[j] -= eps;
            fdTheta[j] = (loss.of(p, y0, TIMES) - loss.of(m, y0, TIMES)) / (2 * eps);
        }
        double[] fdY0 = new double[stateDim];
        for (int j = 0; j < stateDim; j++) {
            double[] p = y0.clone();
            double[] m = y0.clone();
            p[j] += eps;
            m[j] -= eps;
            fdY0[j] = (loss.of(theta, p, TIMES) - loss.of(theta, m, TIMES)) / (2 * eps);
        }
        double[] fdTimes = new double[TIMES.length];
        for (int j = 0; j < TIMES.length; j++) {
            double[] p = TIMES.clone();
            double[] m = TIMES.clone();
            p[j] += eps;
            m[j] -= eps;
            fdTimes[j] = (loss.of(theta, y0, p) - loss.of(theta, y0, m)) / (2 * eps);
        }
        assertClose("dL/dθ", g.theta(), fdTheta, TOL);
        assertClose("dL/dz0", g.y0(), fdY0, TOL);
        assertClose("dL/dt (t0, t_obs, t1)", g.times(), fdTimes, TOL);
    }

    /**
     * The forward map a method differentiates: the discrete methods land their steps on the observation times
     * (see DiscreteAdjoint), the backsolve adjoint serves them by dense output, as the plain solver does.
     */
    static SolverConfig solvedBy(Case c, double[] times) {
        SolverConfig cfg = c.solver.apply(times);
        return c.method == GradientMethod.BACKSOLVE_ADJOINT ? cfg : cfg.withLanding(true);
    }

    @FunctionalInterface
    interface Loss {
        double of(double[] theta, double[] y0, double[] times);
    }

    static void assertClose(String what, double[] actual, double[] expected, double rtol) {
        double maxErr = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
            assertTrue(Double.isFinite(actual[i]), what + "[" + i + "] is " + actual[i]);
        }
        double rel = maxErr / Math.max(scale, 1e-12);
        assertTrue(rel <= rtol, what + ": relative error " + rel + " > " + rtol + " (max abs error " + maxErr
                + ", scale " + scale + ")");
    }
}
