package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the backward-pass options do, measured on a CNF (exact trace, concatsquash 2→8→8→2, 16 samples, t in
 * [0, 1], NLL-like loss ½|z(1)|² + Σ Δlogp(1)): the seminorm cuts the backsolve adjoint's reverse steps and
 * still gives the finite-difference gradient; the adjoint tolerances govern the reverse solve and nothing
 * else; the discrete methods ignore both.
 */
class AdjointOptionsTest {

    private static final int N = 16;
    private static final double[] TIMES = {0, 1};
    private static final OdeNet NET = new OdeNet(new int[] {2, 8, 8, 2}, LayerKind.CONCATSQUASH, Activation.TANH);
    private static final double[] THETA;
    private static final double[] Y0 = new double[3 * N];

    static {
        Random rng = new Random(11);
        THETA = NET.initialParameters(rng);
        for (int i = 0; i < 2 * N; i++) {
            Y0[i] = 1.5 * rng.nextGaussian();
        }
    }

    /** dL/dθ and dL/dz0 by central differences of tightly solved losses (dopri5 at 1e-12). */
    private static double[] fdTheta;
    private static double[] fdY0;

    @BeforeAll
    static void finiteDifferences() {
        SolverConfig tight = SolverConfig.adaptive(Method.DOPRI5, 1e-12, 1e-12);
        double eps = 1e-4;
        fdTheta = new double[THETA.length];
        for (int j = 0; j < THETA.length; j++) {
            double[] p = THETA.clone();
            double[] m = THETA.clone();
            p[j] += eps;
            m[j] -= eps;
            fdTheta[j] = (loss(p, Y0, tight) - loss(m, Y0, tight)) / (2 * eps);
        }
        fdY0 = new double[Y0.length];
        for (int j = 0; j < Y0.length; j++) {
            double[] p = Y0.clone();
            double[] m = Y0.clone();
            p[j] += eps;
            m[j] -= eps;
            fdY0[j] = (loss(THETA, p, tight) - loss(THETA, m, tight)) / (2 * eps);
        }
    }

    private static double loss(double[] theta, double[] y0, SolverConfig cfg) {
        double[] y = RungeKutta.solve(new CnfSystem(NET, theta, N, Probe.exact(2)), y0, TIMES, cfg).last();
        double l = 0;
        for (int i = 0; i < 2 * N; i++) {
            l += 0.5 * y[i] * y[i];
        }
        for (int i = 2 * N; i < 3 * N; i++) {
            l += y[i];
        }
        return l;
    }

    private record Run(ForwardPass forward, Sensitivities sens) {
    }

    private static Run run(SolverConfig cfg, GradientMethod method, AdjointOptions adjoint) {
        ForwardPass fp = Gradients.forward(new CnfSystem(NET, THETA, N, Probe.exact(2)), Y0, TIMES, cfg, method,
                adjoint);
        double[] dL = fp.solution().last().clone();
        for (int i = 2 * N; i < 3 * N; i++) {
            dL[i] = 1;
        }
        return new Run(fp, fp.backward(new double[][] {null, dL}));
    }

    private static double relErr(double[] actual, double[] expected) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Double.isFinite(actual[i]), "entry " + i + " is " + actual[i]);
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        assertTrue(norm > 0, "the reference gradient is zero: the comparison would prove nothing");
        return Math.sqrt(diff / norm);
    }

    @Test
    void seminormCutsBackwardStepsAndKeepsTheGradient() {
        double tol = 1e-8;
        SolverConfig cfg = SolverConfig.adaptive(Method.DOPRI5, tol, tol);
        Run full = run(cfg, GradientMethod.BACKSOLVE_ADJOINT, new AdjointOptions(tol, tol, false));
        Run semi = run(cfg, GradientMethod.BACKSOLVE_ADJOINT, new AdjointOptions(tol, tol, true));
        String work = "backward work at rtol=atol=" + tol + ": full norm " + full.sens.stats() + ", seminorm "
                + semi.sens.stats();
        System.out.println(work);
        assertEquals(full.forward.solution().stats(), semi.forward.solution().stats(),
                "the adjoint options must not touch the forward solve");
        assertTrue(semi.sens.stats().nfe() < full.sens.stats().nfe(), "the seminorm should cut the NFE; " + work);
        assertTrue(semi.sens.stats().accepted() < full.sens.stats().accepted(),
                "the seminorm should cut the accepted steps; " + work);

        double fullTheta = relErr(full.sens.theta(), fdTheta);
        double semiTheta = relErr(semi.sens.theta(), fdTheta);
        double between = relErr(semi.sens.theta(), full.sens.theta());
        System.out.printf("dL/dθ relative error against differences: full %.3e, seminorm %.3e; between them %.3e%n",
                fullTheta, semiTheta, between);
        assertTrue(fullTheta < 1e-6, "full norm dL/dθ: relative error " + fullTheta);
        assertTrue(semiTheta < 1e-6, "seminorm dL/dθ: relative error " + semiTheta);
        assertTrue(between < 1e-6, "seminorm and full-norm dL/dθ differ by " + between);
        assertTrue(relErr(full.sens.y0(), fdY0) < 1e-6, "full norm dL/dz0");
        assertTrue(relErr(semi.sens.y0(), fdY0) < 1e-6, "seminorm dL/dz0");
    }

    @Test
    void adjointTolerancesGovernTheReverseSolveOnly() {
        // one forward solve for all (1e-12), so only the reverse solve's accuracy differs; the reference is the
        // same problem with the adjoint at 1e-12 too, itself checked against the differences
        SolverConfig forward = SolverConfig.adaptive(Method.DOPRI5, 1e-12, 1e-12);
        Run reference = run(forward, GradientMethod.BACKSOLVE_ADJOINT, new AdjointOptions(1e-12, 1e-12, false));
        assertTrue(relErr(reference.sens.theta(), fdTheta) < 1e-7, "the reference dL/dθ against differences");
        double[] tolerances = {1e-4, 1e-6, 1e-8};
        long[] nfe = new long[tolerances.length];
        double[] err = new double[tolerances.length];
        for (int i = 0; i < tolerances.length; i++) {
            // rtol != atol, both far from the forward's
            Run r = run(forward, GradientMethod.BACKSOLVE_ADJOINT, new AdjointOptions(tolerances[i], tolerances[i] / 3,
                    false));
            assertEquals(reference.forward.solution().stats(), r.forward.solution().stats(), "the forward solve moved");
            assertArrayEquals(reference.forward.solution().last(), r.forward.solution().last(), 0.0);
            nfe[i] = r.sens.stats().nfe();
            err[i] = relErr(r.sens.theta(), reference.sens.theta());
            System.out.printf("adjoint rtol %.0e: backward NFE %d, dL/dθ relative error %.3e (adjoint at 1e-12: %d)%n",
                    tolerances[i], nfe[i], err[i], reference.sens.stats().nfe());
        }
        for (int i = 1; i < tolerances.length; i++) {
            assertTrue(nfe[i] > nfe[i - 1], "a tighter adjoint tolerance must cost more reverse steps: "
                    + java.util.Arrays.toString(nfe));
            assertTrue(err[i] < err[i - 1], "a tighter adjoint tolerance must give a more accurate dL/dθ: "
                    + java.util.Arrays.toString(err));
        }
        assertTrue(reference.sens.stats().nfe() > nfe[nfe.length - 1], "adjoint at 1e-12 should cost the most");
        assertTrue(err[0] > 1e-7, "at adjoint rtol 1e-4 the error should show (" + err[0]
                + "), else the tolerance did not reach the reverse solve");
        assertTrue(err[err.length - 1] < 1e-7, "dL/dθ at adjoint rtol 1e-8: relative error " + err[err.length - 1]);
    }

    @ParameterizedTest
    @EnumSource(value = GradientMethod.class, names = {"CHECKPOINTED_ADJOINT", "DIRECT_BACKPROP"})
    void discreteMethodsIgnoreTheAdjointOptions(GradientMethod method) {
        SolverConfig cfg = SolverConfig.adaptive(Method.DOPRI5, 1e-10, 1e-10);
        Run plain = run(cfg, method, AdjointOptions.like(1e-10, 1e-10));
        Run other = run(cfg, method, new AdjointOptions(1e-3, 1e-4, true));
        assertArrayEquals(plain.sens.theta(), other.sens.theta(), 0.0);
        assertArrayEquals(plain.sens.y0(), other.sens.y0(), 0.0);
        assertArrayEquals(plain.sens.times(), other.sens.times(), 0.0);
        assertEquals(plain.sens.stats(), other.sens.stats());
        assertTrue(relErr(other.sens.theta(), fdTheta) < 1e-6, method + " dL/dθ against differences");
    }
}
