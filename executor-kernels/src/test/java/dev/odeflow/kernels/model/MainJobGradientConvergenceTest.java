package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.CnfArchitecture;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job's gradient setting (conf/jobs/8gaussians.conf: fixed-step rk4, backsolve adjoint, exact trace,
 * trainable T). The backsolve adjoint is not the exact gradient of the discrete solve: it integrates the
 * adjoint system backwards with the same rk4 steps (fixed-step configs are reused as they are for the
 * reverse solve), so its error is the discretization error of both solves. It must vanish at rk4's order:
 * measured against a dopri5 solve at 1e-12 (forward and adjoint), the error of the whole gradient and of its
 * sqrt_end_time entry (T = s²) must fall by 2⁴ per halving of the step, from the job's 6 steps to 48.
 * Replacing the reverse solve's rk4 by midpoint gives an observed order of 2.0 and fails here.
 */
class MainJobGradientConvergenceTest {

    /** Steps per solve; 6 is the main job's {@code solver.steps}. */
    private static final int[] STEPS = {6, 12, 24, 48};

    private static final CnfArchitecture ARCH = new CnfArchitecture(2, new int[] {16, 16}, LayerKind.CONCATSQUASH,
            Activation.TANH);

    private static CnfSettings mainJob(int steps) {
        return CpuSettings.ffjordToy().withTrain(SolverConfig.fixedSteps(Method.RK4, steps))
                .withGradient(GradientMethod.BACKSOLVE_ADJOINT).withTrainEndTime(true);
    }

    private static CnfSettings exact(double tol) {
        return CpuSettings.ffjordToy().withTrain(SolverConfig.adaptive(Method.DOPRI5, tol, tol))
                .withGradient(GradientMethod.BACKSOLVE_ADJOINT).withAdjoint(new AdjointOptions(tol, tol, false))
                .withTrainEndTime(true);
    }

    private static double[] gradient(CnfSettings s, double[] w, double[] x, int n) {
        LossGradient acc = new LossGradient(w.length);
        new CnfModel(ARCH, s).addLossGradient(w, x, n, 0, acc);
        return acc.gradient().clone();
    }

    private static double norm(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - (b == null ? 0 : b[i]);
            s += d * d;
        }
        return Math.sqrt(s);
    }

    @Test
    void rk4BacksolveAdjointGradientConvergesAtFourthOrder() {
        CnfModel model = new CnfModel(ARCH, mainJob(STEPS[0]));
        double[] w = model.initialParameters(7, 1.0);
        Random rng = new Random(8);
        // weights well away from the initialization, so the flow bends the points
        for (int i = 0; i < w.length - 1; i++) {
            w[i] = 1.5 * w[i] + 0.2 * rng.nextGaussian();
        }
        int n = 8;
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1.5 * rng.nextGaussian();
        }
        int t = w.length - 1;

        double[] exact = gradient(exact(1e-12), w, x, n);
        double scale = norm(exact, null);
        assertTrue(scale > 1 && Math.abs(exact[t]) > 0.1, "a gradient to converge to: |g| = " + scale
                + ", dL/ds = " + exact[t]);
        // the reference must be far more accurate than the finest rk4 gradient: bound its error by its distance
        // to the same solve at 1e-11 (which is the less accurate of the two)
        double refErr = norm(gradient(exact(1e-11), w, x, n), exact) / scale;

        double[] err = new double[STEPS.length];
        double[] errT = new double[STEPS.length];
        for (int i = 0; i < STEPS.length; i++) {
            double[] g = gradient(mainJob(STEPS[i]), w, x, n);
            err[i] = norm(g, exact) / scale;
            errT[i] = Math.abs(g[t] - exact[t]) / Math.abs(exact[t]);
        }
        StringBuilder report = new StringBuilder("rk4 + backsolve adjoint, relative gradient error (dL/ds error):");
        for (int i = 0; i < STEPS.length; i++) {
            report.append(String.format(" N=%d %.3e (%.3e)", STEPS[i], err[i], errT[i]));
            if (i > 0) {
                report.append(String.format(" order %.3f (%.3f)", log2(err[i - 1] / err[i]),
                        log2(errT[i - 1] / errT[i])));
            }
        }
        report.append(String.format("; reference error %.1e", refErr));
        System.out.println(report);

        for (int i = 1; i < STEPS.length; i++) {
            double order = log2(err[i - 1] / err[i]);
            double orderT = log2(errT[i - 1] / errT[i]);
            assertEquals(4.05, order, 0.55, "observed order of the gradient, N=" + STEPS[i - 1] + "→" + STEPS[i]
                    + ": " + report);
            assertEquals(4.05, orderT, 0.55, "observed order of dL/ds (T = s²), N=" + STEPS[i - 1] + "→" + STEPS[i] + ": "
                    + report);
        }
        double finest = err[STEPS.length - 1];
        assertTrue(finest < 1e-8, "finest relative gradient error " + finest + ": " + report);
        assertTrue(refErr < finest / 50, "the dopri5 reference (" + refErr + ") is not accurate enough to measure "
                + finest + ": " + report);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
