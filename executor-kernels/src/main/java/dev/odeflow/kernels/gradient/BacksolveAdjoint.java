package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.ErrorNorm;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.Solution;
import dev.odeflow.kernels.solver.SolveStats;
import dev.odeflow.kernels.solver.SolverConfig;

/**
 * Algorithm 2 of Chen et al. with observation times t_0 < … < t_K: one reverse-time solve of
 * [z, a, a_θ, a_t] per interval, the adjoint jumping by dL/dy(t_k) at each observation and z reset to the
 * forward value there (as torchdiffeq does). It keeps only the observed states, so its memory does not
 * depend on the number of steps.
 */
final class BacksolveAdjoint implements ForwardPass {

    private final DifferentiableSystem f;
    private final Solution solution;
    private final SolverConfig cfg;
    private final AdjointOptions options;

    private BacksolveAdjoint(DifferentiableSystem f, Solution solution, SolverConfig cfg, AdjointOptions options) {
        this.f = f;
        this.solution = solution;
        this.cfg = cfg;
        this.options = options;
    }

    static ForwardPass forward(DifferentiableSystem f, double[] y0, double[] times, SolverConfig cfg,
                               AdjointOptions options) {
        return new BacksolveAdjoint(f, RungeKutta.solve(f, y0, times, cfg), cfg, options);
    }

    @Override
    public Solution solution() {
        return solution;
    }

    @Override
    public long retainedBytes() {
        long bytes = 0;
        for (double[] s : solution.states()) {
            bytes += 8L * s.length;
        }
        return bytes + 8L * solution.times().length;
    }

    @Override
    public Sensitivities backward(double[][] dLdy) {
        double[] times = solution.times();
        double[][] states = solution.states();
        LossGradients.check(dLdy, states);
        int k1 = times.length - 1;
        int n = f.dim();
        int p = f.paramDim();
        AdjointSystem aug = new AdjointSystem(f);
        double[] s = new double[2 * n + p + 1];
        double[] fBuf = new double[n];
        double[] gradTimes = new double[times.length];
        long nfe = 0;
        System.arraycopy(states[k1], 0, s, 0, n);
        if (dLdy[k1] != null) {
            System.arraycopy(dLdy[k1], 0, s, n, n);
            f.eval(times[k1], states[k1], fBuf);
            nfe++;
            gradTimes[k1] = dot(dLdy[k1], fBuf);
        }
        s[2 * n + p] = -gradTimes[k1];
        SolveStats stats = SolveStats.ZERO;
        for (int k = k1; k >= 1; k--) {
            Solution r = RungeKutta.solve(aug, s, new double[] {times[k], times[k - 1]}, reverseConfig(k, n));
            stats = stats.plus(r.stats());
            s = r.last();
            if (k - 1 >= 1) {
                System.arraycopy(states[k - 1], 0, s, 0, n);
                if (dLdy[k - 1] != null) {
                    f.eval(times[k - 1], states[k - 1], fBuf);
                    nfe++;
                    gradTimes[k - 1] = dot(dLdy[k - 1], fBuf);
                    s[2 * n + p] -= gradTimes[k - 1];
                    for (int i = 0; i < n; i++) {
                        s[n + i] += dLdy[k - 1][i];
                    }
                }
            }
        }
        gradTimes[0] = s[2 * n + p];
        double[] gy0 = new double[n];
        System.arraycopy(s, n, gy0, 0, n);
        if (dLdy[0] != null) {
            for (int i = 0; i < n; i++) {
                gy0[i] += dLdy[0][i];
            }
        }
        double[] gTheta = new double[p];
        System.arraycopy(s, 2 * n, gTheta, 0, p);
        return new Sensitivities(gy0, gTheta, gradTimes, stats.plus(new SolveStats(nfe, 0, 0)));
    }

    /** The reverse solve over [t_{k−1}, t_k]: the adjoint tolerances, or the forward's fixed steps. */
    private SolverConfig reverseConfig(int k, int n) {
        return switch (cfg.mode()) {
            case ADAPTIVE -> cfg.withTolerances(options.rtol(), options.atol())
                    .withNorm(options.seminorm() ? new ErrorNorm(2 * n) : ErrorNorm.RMS).withLanding(false);
            case FIXED_STEPS, FIXED_SIZE -> cfg;
            case FIXED_GRID -> SolverConfig.fixedGrid(cfg.method(), gridSlice(cfg.grid(), solution.times()[k - 1],
                    solution.times()[k])).withLimits(cfg.minStep(), cfg.maxSteps(), cfg.maxNfe());
        };
    }

    /** The grid points strictly inside (lo, hi), with both ends, in reverse order (from hi to lo). */
    private static double[] gridSlice(double[] grid, double lo, double hi) {
        double a = Math.min(lo, hi);
        double b = Math.max(lo, hi);
        java.util.List<Double> pts = new java.util.ArrayList<>();
        pts.add(hi);
        for (int i = grid.length - 1; i >= 0; i--) {
            double g = grid[i];
            if (g > a && g < b) {
                pts.add(g);
            }
        }
        pts.add(lo);
        if (hi < lo) {
            java.util.Collections.reverse(pts.subList(1, pts.size() - 1));
        }
        return pts.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
