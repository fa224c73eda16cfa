package dev.odeflow.kernels.latent;

import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.ForwardPass;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.gradient.Gradients;
import dev.odeflow.kernels.gradient.Sensitivities;
import dev.odeflow.kernels.nn.GruCell;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.Solution;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.SolveStats;

import java.util.Arrays;

/**
 * The latent states of n series at a shared list of times, from z0 (n×L) at times[0] = 0, with the reverse pass:
 * the ODE solved once for the batch (any gradient method), or the GRU baseline stepping each series only at the
 * times it is observed at ({@code observed[u][i]}), fed the gap since its previous observation.
 */
abstract class LatentPath {

    private static final SolveStats NONE = new SolveStats(0, 0, 0);

    private final double[][] states;
    /** Where the dynamics' parameters start in θ. */
    final int thetaAt;

    LatentPath(double[][] states, int thetaAt) {
        this.states = states;
        this.thetaAt = thetaAt;
    }

    /** Per time: the n×L states. */
    final double[][] states() {
        return states;
    }

    /** With dZ[u] = ∂L/∂states[u] (null where unread), adds ∂L/∂θ into g and returns ∂L/∂z0. */
    abstract double[] backward(double[][] dZ, double[] g);

    /** Solver work of the forward (none for the GRU). */
    SolveStats forwardStats() {
        return NONE;
    }

    /** Solver work of the reverse, once {@link #backward} ran (none for the GRU). */
    SolveStats backwardStats() {
        return NONE;
    }

    /** The ODE path: forward with {@code method}'s bookkeeping when {@code gradient} is non-null, else plain. */
    static LatentPath ode(LatentArchitecture arch, double[] theta, double[] z0, double[] times, SolverConfig cfg,
                          GradientMethod gradient, AdjointOptions adjoint) {
        int[] at = arch.offsets();
        int n = z0.length / arch.latent();
        var system = arch.field().system(Arrays.copyOfRange(theta, at[2], at[3]), n);
        if (gradient == null) {
            Solution sol = RungeKutta.solve(system, z0, times, cfg);
            return new OdePath(sol.states(), null, sol.stats(), at[2]);
        }
        ForwardPass fp = Gradients.forward(system, z0, times, cfg, gradient, adjoint);
        return new OdePath(fp.solution().states(), fp, fp.solution().stats(), at[2]);
    }

    /** The GRU path; {@code observed[u][i]}: whether series i steps at time u (u ≥ 1). */
    static LatentPath gru(LatentArchitecture arch, double[] theta, double[] z0, double[] times, boolean[][] observed) {
        GruCell cell = arch.rnnCell();
        int n = z0.length / arch.latent();
        GruCell.Run run = cell.run(theta, arch.offsets()[2], n, z0);
        double[][] states = new double[times.length][];
        states[0] = z0.clone();
        double[] last = new double[n];
        for (int u = 1; u < times.length; u++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = times[u] - last[i];
                if (observed[u][i]) {
                    last[i] = times[u];
                }
            }
            states[u] = run.step(x, observed[u]);
        }
        return new GruPath(states, run, arch.offsets()[2]);
    }

    private static final class OdePath extends LatentPath {
        private final ForwardPass fp;
        private final SolveStats fwd;
        private SolveStats bwd = NONE;

        OdePath(double[][] states, ForwardPass fp, SolveStats fwd, int thetaAt) {
            super(states, thetaAt);
            this.fp = fp;
            this.fwd = fwd;
        }

        @Override
        double[] backward(double[][] dZ, double[] g) {
            Sensitivities s = fp.backward(dZ);
            double[] gt = s.theta();
            for (int k = 0; k < gt.length; k++) {
                g[thetaAt + k] += gt[k];
            }
            bwd = s.stats();
            return s.y0();
        }

        @Override
        SolveStats forwardStats() {
            return fwd;
        }

        @Override
        SolveStats backwardStats() {
            return bwd;
        }
    }

    private static final class GruPath extends LatentPath {
        private final GruCell.Run run;

        GruPath(double[][] states, GruCell.Run run, int thetaAt) {
            super(states, thetaAt);
            this.run = run;
        }

        @Override
        double[] backward(double[][] dZ, double[] g) {
            return run.backward(dZ, g, thetaAt);
        }
    }
}
