package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.cnf.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolverConfig;
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
 */
class GradientCheckTest {

    private static final int N = 3;
    private static final double[] TIMES = {0.1, 0.45, 0.8};
    private static final SolverConfig TIGHT = SolverConfig.adaptive(Method.DOPRI5, 1e-12, 1e-12);
    private static final SolverConfig RK4_STEPS = SolverConfig.fixedSteps(Method.RK4, 6);

    record Case(String name, GradientMethod method, SolverConfig cfg, AdjointOptions adjoint, boolean cnf) {
        @Override
        public String toString() {
            return name + (cnf ? " / CNF" : " / neural ODE");
        }
    }

    static Stream<Arguments> cases() {
        AdjointOptions tight = new AdjointOptions(1e-12, 1e-12, false);
        AdjointOptions semi = new AdjointOptions(1e-12, 1e-12, true);
        Stream.Builder<Arguments> b = Stream.builder();
        for (boolean cnf : new boolean[] {false, true}) {
            b.add(Arguments.of(new Case("backsolve adjoint", GradientMethod.BACKSOLVE_ADJOINT, TIGHT, tight, cnf)));
            b.add(Arguments.of(new Case("backsolve adjoint, seminorm", GradientMethod.BACKSOLVE_ADJOINT, TIGHT, semi, cnf)));
            b.add(Arguments.of(new Case("checkpointed adjoint", GradientMethod.CHECKPOINTED_ADJOINT, TIGHT, tight, cnf)));
            b.add(Arguments.of(new Case("direct backprop, dopri5", GradientMethod.DIRECT_BACKPROP, TIGHT, tight, cnf)));
            b.add(Arguments.of(new Case("direct backprop, rk4 discrete map", GradientMethod.DIRECT_BACKPROP, RK4_STEPS,
                    tight, cnf)));
            b.add(Arguments.of(new Case("checkpointed, rk4 discrete map", GradientMethod.CHECKPOINTED_ADJOINT, RK4_STEPS,
                    tight, cnf)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        OdeNet net = new OdeNet(new int[] {2, 6, 6, 2}, LayerKind.CONCATSQUASH, Activation.TANH);
        Random rng = new Random(11);
        double[] theta = net.initialParameters(rng);
        int stateDim = c.cnf ? 3 * N : 2 * N;
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
        Probe probe = c.cnf ? Probe.exact(2) : Probe.none();
        Function<double[], CnfSystem> system = th -> new CnfSystem(net, th, N, probe);

        ForwardPass fp = Gradients.forward(system.apply(theta), y0, TIMES, c.cfg, c.method, c.adjoint);
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

        boolean discreteMap = c.cfg.mode() != dev.odeflow.kernels.solver.StepMode.ADAPTIVE;
        double eps = discreteMap ? 1e-5 : 1e-4;
        Loss loss = (th, y, ts) -> {
            double[][] s = RungeKutta.solve(system.apply(th), y, ts, c.cfg).states();
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
        assertClose("dL/dθ", g.theta(), fdTheta, 1e-6);
        assertClose("dL/dz0", g.y0(), fdY0, 1e-6);
        assertClose("dL/dt (t0, t_obs, t1)", g.times(), fdTimes, 1e-6);
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
