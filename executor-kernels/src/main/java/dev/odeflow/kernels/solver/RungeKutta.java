package dev.odeflow.kernels.solver;

import java.util.Arrays;

/**
 * The one explicit Runge–Kutta engine. Every method is a {@link ButcherTableau}; fixed and adaptive
 * stepping, dense output and the step/NFE guards live here once. The engine keeps no state between
 * calls: each solve allocates its buffers up front and none inside the step loop.
 */
public final class RungeKutta {

    private RungeKutta() {
    }

    /** Solves dy/dt = f(t, y) from y(times[0]) = y0 and returns y at every entry of {@code times}. */
    public static Solution solve(OdeSystem f, double[] y0, double[] times, SolverConfig cfg) {
        return solve(f, y0, times, cfg, StepListener.NONE);
    }

    /** As {@link #solve(OdeSystem, double[], double[], SolverConfig)}, reporting each accepted step. */
    public static Solution solve(OdeSystem f, double[] y0, double[] times, SolverConfig cfg, StepListener listener) {
        if (f == null || cfg == null || listener == null) {
            throw new IllegalArgumentException("system, solver config and listener are required");
        }
        Inputs.finiteVector("initial state", y0, f.dim());
        int dir = Inputs.timeDirection(times);
        return new Run(f, y0, times.clone(), dir, cfg, listener).run();
    }

    /** The mutable state of one solve. */
    private static final class Run {
        private final OdeSystem f;
        private final ButcherTableau tab;
        private final SolverConfig cfg;
        private final StepListener listener;
        private final double[] times;
        private final int dir;
        private final int n;
        private final int stages;
        private final double[][] k;
        private final double[][] stage;
        private double[] y;
        private double[] y1;
        private double[] fEnd;
        private final double[] err;
        private final double[][] states;
        private long nfe;
        private long accepted;
        private long rejected;

        Run(OdeSystem f, double[] y0, double[] times, int dir, SolverConfig cfg, StepListener listener) {
            this.f = f;
            this.tab = cfg.method().tableau();
            this.cfg = cfg;
            this.listener = listener;
            this.times = times;
            this.dir = dir;
            this.n = y0.length;
            this.stages = tab.stages();
            this.k = new double[stages][n];
            this.stage = new double[stages][];
            for (int s = 1; s < stages; s++) {
                stage[s] = new double[n];
            }
            this.y = y0.clone();
            this.y1 = new double[n];
            this.fEnd = new double[n];
            this.err = tab.adaptive() ? new double[n] : null;
            this.states = new double[times.length][];
            states[0] = y0.clone();
        }

        Solution run() {
            double[] grid = cfg.mode() == StepMode.ADAPTIVE ? null : grid();
            double t = times[0];
            double tEnd = times[times.length - 1];
            eval(t, y, k[0]);
            double h = cfg.mode() == StepMode.ADAPTIVE
                    ? (cfg.firstStep() > 0 ? dir * cfg.firstStep() : initialStep(t)) : 0;
            int next = 1;
            int gridIndex = 0;
            while (next < times.length) {
                double tNext;
                if (grid != null) {
                    tNext = grid[++gridIndex];
                    h = tNext - t;
                } else {
                    double target = cfg.landOnTimes() ? times[next] : tEnd;
                    if (dir * (t + h - target) >= 0) {
                        h = target - t;
                        tNext = target;
                    } else {
                        tNext = t + h;
                    }
                    StepControl.checkStep(cfg, t, tNext, h, nfe);
                }
                StepControl.checkBudget(cfg, accepted + rejected, nfe, stages, t, h);
                step(t, h);
                double hNew = h;
                if (grid == null) {
                    double ratio = cfg.norm().apply(err, y, y1, cfg.rtol(), cfg.atol());
                    hNew = h * StepControl.factor(cfg, ratio, tab.errorOrder(), t, h, nfe);
                    if (ratio > 1) {
                        rejected++;
                        h = hNew;
                        continue;
                    }
                } else {
                    requireFinite(t, h);
                }
                accepted++;
                boolean fEndReady = false;
                while (next < times.length && dir * (times[next] - tNext) <= 0) {
                    if (times[next] == tNext) {
                        states[next] = y1.clone();
                    } else {
                        if (!fEndReady) {
                            endSlope(tNext);
                            fEndReady = true;
                        }
                        states[next] = interpolate((times[next] - t) / h, h);
                    }
                    next++;
                }
                stage[0] = y;
                listener.onStep(t, h, y, stage, y1);
                if (next == times.length) {
                    break;
                }
                if (!fEndReady) {
                    endSlope(tNext);
                }
                double[] tmp = y;
                y = y1;
                y1 = tmp;
                tmp = k[0];
                k[0] = fEnd;
                fEnd = tmp;
                t = tNext;
                h = hNew;
            }
            return new Solution(times.clone(), states, new SolveStats(nfe, accepted, rejected));
        }

        /** One RK step from (t, y) with k[0] = f(t, y): stages into k, solution into y1, error into err. */
        private void step(double t, double h) {
            for (int s = 1; s < stages; s++) {
                double[] ys = stage[s];
                System.arraycopy(y, 0, ys, 0, n);
                for (int j = 0; j < s; j++) {
                    double w = h * tab.a(s, j);
                    if (w != 0) {
                        axpy(w, k[j], ys);
                    }
                }
                eval(t + tab.c(s) * h, ys, k[s]);
            }
            if (tab.fsal()) {
                System.arraycopy(stage[stages - 1], 0, y1, 0, n);
            } else {
                System.arraycopy(y, 0, y1, 0, n);
                for (int j = 0; j < stages; j++) {
                    if (tab.b(j) != 0) {
                        axpy(h * tab.b(j), k[j], y1);
                    }
                }
            }
            if (err != null) {
                Arrays.fill(err, 0);
                for (int j = 0; j < stages; j++) {
                    if (tab.error(j) != 0) {
                        axpy(h * tab.error(j), k[j], err);
                    }
                }
            }
        }

        /** f at the end of the accepted step into fEnd (free for FSAL methods). */
        private void endSlope(double tNext) {
            if (tab.fsal()) {
                System.arraycopy(k[stages - 1], 0, fEnd, 0, n);
            } else {
                eval(tNext, y1, fEnd);
            }
        }

        private double[] interpolate(double x, double h) {
            double[] out = new double[n];
            if (cfg.method() == Method.DOPRI5) {
                DenseOutput.dopri5(x, h, y, k, y1, out);
            } else {
                DenseOutput.hermite(x, h, y, k[0], y1, fEnd, out);
            }
            return out;
        }

        /** Hairer, Nørsett and Wanner's starting step (as in torchdiffeq's _select_initial_step). */
        private double initialStep(double t0) {
            ErrorNorm norm = cfg.norm();
            double[] zero = new double[n];
            double d0 = norm.apply(y, y, y, cfg.rtol(), cfg.atol());
            double d1 = norm.apply(k[0], y, y, cfg.rtol(), cfg.atol());
            double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
            double[] yTrial = y.clone();
            axpy(dir * h0, k[0], yTrial);
            double[] f1 = new double[n];
            eval(t0 + dir * h0, yTrial, f1);
            for (int i = 0; i < n; i++) {
                zero[i] = f1[i] - k[0][i];
            }
            double d2 = norm.apply(zero, y, y, cfg.rtol(), cfg.atol()) / h0;
            double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? Math.max(1e-6, h0 * 1e-3)
                    : StrictMath.pow(0.01 / Math.max(d1, d2), 1.0 / (tab.order() + 1));
            double h = Math.min(100 * h0, h1);
            if (!Double.isFinite(h) || h <= 0) {
                throw new SolverException("cannot select an initial step (non-finite derivative?)", t0, h, nfe);
            }
            return dir * h;
        }

        /** Step points for the fixed-step modes, in the direction of integration. */
        private double[] grid() {
            double t0 = times[0];
            double tEnd = times[times.length - 1];
            double[] pts;
            switch (cfg.mode()) {
                case FIXED_STEPS -> {
                    int m = cfg.steps();
                    long count = Math.multiplyExact(times.length - 1L, m);
                    if (count > cfg.maxSteps()) {
                        throw new SolverException(m + " fixed steps in each of " + (times.length - 1)
                                + " intervals need " + count + " steps, more than the step budget max_steps = "
                                + cfg.maxSteps(), t0, dir * Math.abs(times[1] - t0) / m, 0);
                    }
                    pts = new double[(int) count + 1];
                    for (int iv = 0; iv + 1 < times.length; iv++) {
                        for (int i = 0; i < m; i++) {
                            pts[iv * m + i] = times[iv] + (times[iv + 1] - times[iv]) * i / m;
                        }
                    }
                    pts[pts.length - 1] = tEnd;
                    return pts;
                }
                case FIXED_SIZE -> {
                    double hs = cfg.stepSize();
                    long count = (long) Math.ceil(Math.abs(tEnd - t0) / hs - 1e-12);
                    if (count > cfg.maxSteps()) {
                        throw new SolverException("step size " + hs + " needs " + count + " steps, more than the "
                                + "maximum " + cfg.maxSteps(), t0, dir * hs, 0);
                    }
                    pts = new double[(int) count + 1];
                    for (int i = 0; i < count; i++) {
                        pts[i] = t0 + dir * hs * i;
                    }
                    pts[(int) count] = tEnd;
                }
                default -> {
                    pts = cfg.grid();
                    if (pts[0] != t0 || pts[pts.length - 1] != tEnd) {
                        throw new IllegalArgumentException("time grid must start at t0=" + t0 + " and end at "
                                + tEnd + ", got [" + pts[0] + ", " + pts[pts.length - 1] + "]");
                    }
                    for (int i = 1; i < pts.length; i++) {
                        if (dir * (pts[i] - pts[i - 1]) <= 0) {
                            throw new IllegalArgumentException("time grid is not strictly monotone at index " + i);
                        }
                    }
                }
            }
            if (!cfg.landOnTimes()) {
                return pts;
            }
            double[] merged = new double[pts.length + times.length];
            int m = 0;
            int i = 0;
            int j = 0;
            while (i < pts.length || j < times.length) {
                double v;
                if (j >= times.length || (i < pts.length && dir * (pts[i] - times[j]) <= 0)) {
                    v = pts[i++];
                } else {
                    v = times[j++];
                }
                if (m == 0 || merged[m - 1] != v) {
                    merged[m++] = v;
                }
            }
            return Arrays.copyOf(merged, m);
        }

        private void requireFinite(double t, double h) {
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(y1[i])) {
                    throw new SolverException("non-finite state (component " + i + " = " + y1[i] + ")", t, h, nfe);
                }
            }
        }

        private void eval(double t, double[] state, double[] out) {
            f.eval(t, state, out);
            nfe++;
        }
    }

    /** y += a·x. */
    static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }
}
