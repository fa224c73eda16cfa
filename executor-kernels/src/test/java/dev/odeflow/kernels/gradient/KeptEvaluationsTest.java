package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.BatchDynamics;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.dynamics.PlanarFlow;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.KeptEvaluation;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.trace.Probe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct backprop that keeps the stage evaluations (the layers' activations) gives bitwise the gradient of the
 * one that evaluates every stage again, and really spares those evaluations: with room for all of them the
 * backward pass evaluates f nowhere except where the solver's order leaves nothing to keep; with a budget for
 * a few, the rest are recomputed; with none, all are.
 */
class KeptEvaluationsTest {

    private static final double[] TIMES = {0, 0.4, 0.9};

    static Stream<Arguments> cases() {
        OdeNet toy = new OdeNet(new int[] {2, 12, 12, 2}, LayerKind.CONCATSQUASH, Activation.TANH);
        OdeNet f32 = new OdeNet(new int[] {3, 16, 3}, LayerKind.CONCAT, Activation.SOFTPLUS, Precision.FLOAT32);
        PlanarFlow planar = new PlanarFlow(2, 5);
        return Stream.of(
                Arguments.of("rk4 fixed, exact trace", toy, 40, Divergence.EXACT,
                        SolverConfig.fixedSteps(Method.RK4, 3), 1),
                Arguments.of("rk4 fixed, 3 chunks on 2 threads", toy, 300, Divergence.EXACT,
                        SolverConfig.fixedSteps(Method.RK4, 2), 2),
                Arguments.of("dopri5 fixed (FSAL)", toy, 30, Divergence.EXACT,
                        SolverConfig.fixedSteps(Method.DOPRI5, 2), 1),
                Arguments.of("dopri5 adaptive, rejected steps", toy, 30, Divergence.EXACT,
                        SolverConfig.adaptive(Method.DOPRI5, 1e-7, 1e-7), 1),
                Arguments.of("float32, Hutchinson", f32, 50, Divergence.RADEMACHER,
                        SolverConfig.fixedSteps(Method.MIDPOINT, 4), 1),
                Arguments.of("planar", planar, 20, Divergence.EXACT, SolverConfig.fixedSteps(Method.RK4, 3), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keptEvaluationsGiveTheSameGradientWithoutEvaluatingAgain(String name, BatchDynamics net, int n,
                                                                   Divergence div, SolverConfig cfg, int threads) {
        Random rng = new Random(7);
        double[] theta = net.initialParameters(rng);
        int d = net.dim();
        Probe probe = Probe.noise(div, n, d, 11);
        double[] y0 = new double[n * d + n];
        for (int i = 0; i < n * d; i++) {
            y0[i] = rng.nextGaussian();
        }
        double[][] dLdy = new double[TIMES.length][];
        for (int k = 1; k < TIMES.length; k++) {
            dLdy[k] = new double[y0.length];
            for (int i = 0; i < y0.length; i++) {
                dLdy[k][i] = rng.nextGaussian();
            }
        }
        Counted none = new Counted(new CnfSystem(net, theta, n, probe, threads));
        Sensitivities want = Gradients.forward(none, y0, TIMES, cfg, GradientMethod.DIRECT_BACKPROP,
                AdjointOptions.like(1e-7, 1e-7), 0).backward(dLdy);
        assertEquals(0, none.kept, "a budget of 0 keeps nothing");
        long stagesEvaluatedAgain = none.vjps;

        Counted all = new Counted(new CnfSystem(net, theta, n, probe, threads));
        ForwardPass fp = Gradients.forward(all, y0, TIMES, cfg, GradientMethod.DIRECT_BACKPROP,
                AdjointOptions.like(1e-7, 1e-7), Long.MAX_VALUE);
        long retained = fp.retainedBytes();
        long held = all.liveBytes;
        Sensitivities got = fp.backward(dLdy);
        assertArrayEquals(want.y0(), got.y0(), "dL/dy0");
        assertArrayEquals(want.theta(), got.theta(), "dL/dθ");
        assertArrayEquals(want.times(), got.times(), "dL/dt");
        assertTrue(all.kept > 0, "evaluations were kept");
        boolean fsal = cfg.method().tableau().fsal();
        assertTrue(fsal ? all.vjps < stagesEvaluatedAgain / 2 : all.vjps == 0,
                "the backward pass evaluated " + all.vjps + " stages again (without keeping: "
                        + stagesEvaluatedAgain + ")");

        Counted few = new Counted(new CnfSystem(net, theta, n, probe, threads));
        long onePass = firstKeptBytes(net, theta, n, probe, threads);
        assertTrue(all.liveBytes == 0, "backward released every kept evaluation: " + all.liveBytes + " bytes left");
        Sensitivities partly = Gradients.forward(few, y0, TIMES, cfg, GradientMethod.DIRECT_BACKPROP,
                AdjointOptions.like(1e-7, 1e-7), 3 * onePass).backward(dLdy);
        assertArrayEquals(want.theta(), partly.theta(), "dL/dθ with a budget for three evaluations");
        assertTrue(few.vjps > 0 && few.vjps < stagesEvaluatedAgain,
                few.vjps + " stages evaluated again with room for 3 (all: " + stagesEvaluatedAgain + ")");
        assertTrue(held > 0 && retained >= held, "the kept evaluations the solve held on to (" + held
                + " bytes) count in retainedBytes (" + retained + ")");
        long vjpsBefore = all.vjps;
        assertArrayEquals(want.theta(), fp.backward(dLdy).theta(), "a second backward call, which evaluates again");
        assertEquals(vjpsBefore + stagesEvaluatedAgain, all.vjps, "the kept evaluations serve one backward call");
    }

    private static long firstKeptBytes(BatchDynamics net, double[] theta, int n, Probe probe, int threads) {
        CnfSystem s = new CnfSystem(net, theta, n, probe, threads);
        double[] y = new double[s.dim()];
        KeptEvaluation e = s.evalKept(0, y, new double[s.dim()], Long.MAX_VALUE);
        return e.bytes();
    }

    /** Counts the evaluations kept, the bytes they hold until released, and the VJPs that evaluated f again. */
    private static final class Counted implements DifferentiableSystem {
        private final CnfSystem f;
        long kept;
        long liveBytes;
        long vjps;

        Counted(CnfSystem f) {
            this.f = f;
        }

        @Override
        public int dim() {
            return f.dim();
        }

        @Override
        public int paramDim() {
            return f.paramDim();
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            f.eval(t, y, dydt);
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] out, double[] gy, double[] gTheta) {
            vjps++;
            return f.vjp(t, y, a, out, gy, gTheta);
        }

        @Override
        public KeptEvaluation evalKept(double t, double[] y, double[] dydt, long budgetBytes) {
            KeptEvaluation e = f.evalKept(t, y, dydt, budgetBytes);
            if (e == null) {
                return null;
            }
            kept++;
            liveBytes += e.bytes();
            return new KeptEvaluation() {
                @Override
                public long bytes() {
                    return e.bytes();
                }

                @Override
                public double vjp(double[] a, double[] gy, double[] gTheta) {
                    return e.vjp(a, gy, gTheta);
                }

                @Override
                public void release() {
                    liveBytes -= e.bytes();
                    e.release();
                }
            };
        }
    }
}
