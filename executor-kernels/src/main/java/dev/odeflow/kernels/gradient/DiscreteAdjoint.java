package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.ButcherTableau;
import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.KeptEvaluation;
import dev.odeflow.kernels.solver.RungeKutta;
import dev.odeflow.kernels.solver.Solution;
import dev.odeflow.kernels.solver.SolveStats;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.StepMode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reverse mode through the accepted Runge–Kutta steps themselves: the exact gradient of the discrete
 * solution, with steps landing on the observation times. Two ways to get each step's stage inputs back:
 * <ul>
 *   <li>direct backprop (the seeds' RK-Net) stores every stage: O(steps·stages·N) memory; and, within a byte
 *       budget, each stage's evaluation with its intermediate values ({@link KeptEvaluation}: a network's layer
 *       activations), so the backward pass pulls cotangents back without evaluating f again (the same numbers
 *       either way);</li>
 *   <li>the checkpointed adjoint stores only the state at each step start and re-solves the step:
 *       O(steps·N) memory for one extra forward evaluation per stage.</li>
 * </ul>
 * Step points inside an interval are held fixed, except in FIXED_STEPS mode where they move with the
 * interval's ends, so time gradients reach every observation time through the steps that touch it.
 */
final class DiscreteAdjoint implements ForwardPass {

    /**
     * One recorded step: its times, start state, optional stages and kept stage evaluations, and how its ends
     * depend on t_k, t_{k+1}.
     */
    private record Step(int interval, double t, double h, double[] y, double[][] stages,
                        EvaluationKeeper.Kept[] kept, double wa0, double wa1, double wb0, double wb1) {
    }

    private final DifferentiableSystem f;
    private final ButcherTableau tab;
    private final Solution solution;
    private final List<Step> steps;

    private DiscreteAdjoint(DifferentiableSystem f, ButcherTableau tab, Solution solution, List<Step> steps) {
        this.f = f;
        this.tab = tab;
        this.solution = solution;
        this.steps = steps;
    }

    /**
     * The forward solve; {@code keepStages} is direct backprop, which also keeps up to {@code keepBytes} of
     * stage evaluations.
     */
    static ForwardPass forward(DifferentiableSystem f, double[] y0, double[] times, SolverConfig cfg,
                               boolean keepStages, long keepBytes) {
        List<Step> steps = new ArrayList<>();
        boolean uniform = cfg.mode() == StepMode.FIXED_STEPS;
        int perInterval = cfg.steps();
        int[] interval = {0};
        int[] index = {0};
        ButcherTableau tab = cfg.method().tableau();
        boolean[] live = tab.liveStages();
        EvaluationKeeper keeper = keepStages && keepBytes > 0 ? new EvaluationKeeper(f, keepBytes) : null;
        Solution sol;
        try {
            sol = RungeKutta.solve(keeper == null ? f : keeper, y0, times, cfg.withLanding(true),
                    (t, h, y, stages, y1) -> {
                        int k = interval[0];
                        int i = index[0];
                        double tb = t + h;
                        double wa0;
                        double wa1;
                        double wb0;
                        double wb1;
                        if (uniform) {
                            wa1 = (double) i / perInterval;
                            wa0 = 1 - wa1;
                            wb1 = (double) (i + 1) / perInterval;
                            wb0 = 1 - wb1;
                        } else {
                            wa0 = t == times[k] ? 1 : 0;
                            wa1 = 0;
                            wb0 = 0;
                            wb1 = tb == times[k + 1] ? 1 : 0;
                        }
                        double[][] inputs = null;
                        if (keepStages) {
                            inputs = new double[stages.length][];
                            for (int s = 1; s < stages.length; s++) {
                                inputs[s] = stages[s].clone();
                            }
                        }
                        EvaluationKeeper.Kept[] kept = keeper == null ? null
                                : claim(keeper, tab, live, t, h, y, inputs);
                        steps.add(new Step(k, t, h, y.clone(), inputs, kept, wa0, wa1, wb0, wb1));
                        index[0]++;
                        if (tb == times[k + 1]) {
                            interval[0]++;
                            index[0] = 0;
                        }
                    });
        } finally {
            if (keeper != null) {
                keeper.releasePending();
            }
        }
        return new DiscreteAdjoint(f, tab, sol, steps);
    }

    /** The kept evaluations at the live stages of the step from (t, y0) with stage inputs {@code inputs}. */
    private static EvaluationKeeper.Kept[] claim(EvaluationKeeper keeper, ButcherTableau tab, boolean[] live,
                                                 double t, double h, double[] y0, double[][] inputs) {
        double[] times = new double[live.length];
        double[][] at = new double[live.length][];
        for (int s = 0; s < live.length; s++) {
            if (live[s]) {
                times[s] = t + tab.c(s) * h;
                at[s] = s == 0 ? y0 : inputs[s];
            }
        }
        return keeper.claim(times, at);
    }

    @Override
    public Solution solution() {
        return solution;
    }

    @Override
    public long retainedBytes() {
        long bytes = 0;
        for (Step s : steps) {
            bytes += 8L * s.y.length + 64;
            if (s.stages != null) {
                for (double[] st : s.stages) {
                    bytes += st == null ? 0 : 8L * st.length;
                }
            }
            if (s.kept != null) {
                for (EvaluationKeeper.Kept k : s.kept) {
                    bytes += k == null ? 0 : k.evaluation().bytes() + 16L * k.y().length;
                }
            }
        }
        for (double[] s : solution.states()) {
            bytes += 8L * s.length;
        }
        return bytes;
    }

    @Override
    public Sensitivities backward(double[][] dLdy) {
        double[] times = solution.times();
        LossGradients.check(dLdy, solution.states());
        int n = f.dim();
        int stages = tab.stages();
        boolean[] live = tab.liveStages();
        double[] ybar = new double[n];
        double[] gTheta = new double[f.paramDim()];
        double[] gTimes = new double[times.length];
        double[][] k = new double[stages][n];
        double[][] kbar = new double[stages][n];
        double[][] gY = new double[stages][n];
        double[][] ys = new double[stages][];
        for (int s = 1; s < stages; s++) {
            ys[s] = new double[n];
        }
        long nfe = 0;
        int currentInterval = times.length - 1;
        addInto(ybar, dLdy[times.length - 1]);
        for (int idx = steps.size() - 1; idx >= 0; idx--) {
            Step st = steps.get(idx);
            while (currentInterval > st.interval + 1) {
                currentInterval--;
                addInto(ybar, dLdy[currentInterval]);
            }
            double h = st.h;
            ys[0] = st.y;
            if (st.stages == null) {
                nfe += recomputeStages(st, ys, k, live);
            } else {
                for (int s = 1; s < stages; s++) {
                    System.arraycopy(st.stages[s], 0, ys[s], 0, n);
                }
            }
            for (int s = 0; s < stages; s++) {
                double w = h * tab.b(s);
                for (int i = 0; i < n; i++) {
                    kbar[s][i] = w * ybar[i];
                }
            }
            double tbar = 0;
            double hbar = 0;
            for (int s = stages - 1; s >= 0; s--) {
                if (!live[s]) {
                    continue;
                }
                java.util.Arrays.fill(gY[s], 0);
                EvaluationKeeper.Kept kept = st.kept == null ? null : st.kept[s];
                double ts;
                if (kept == null) {
                    ts = f.vjp(st.t + tab.c(s) * h, ys[s], kbar[s], k[s], gY[s], gTheta);
                } else {
                    System.arraycopy(kept.f(), 0, k[s], 0, n);
                    ts = kept.evaluation().vjp(kbar[s], gY[s], gTheta);
                    kept.evaluation().release(); // used once: a later backward call evaluates again
                    st.kept[s] = null;
                }
                nfe++;
                tbar += ts;
                hbar += tab.c(s) * ts;
                for (int j = 0; j < s; j++) {
                    double w = h * tab.a(s, j);
                    if (w != 0) {
                        for (int i = 0; i < n; i++) {
                            kbar[j][i] += w * gY[s][i];
                        }
                    }
                }
            }
            for (int s = 0; s < stages; s++) {
                if (!live[s]) {
                    continue;
                }
                if (tab.b(s) != 0) {
                    hbar += tab.b(s) * BacksolveAdjoint.dot(ybar, k[s]);
                }
                for (int j = 0; j < s; j++) {
                    if (tab.a(s, j) != 0) {
                        hbar += tab.a(s, j) * BacksolveAdjoint.dot(gY[s], k[j]);
                    }
                }
            }
            for (int s = 0; s < stages; s++) {
                if (live[s]) {
                    addInto(ybar, gY[s]);
                }
            }
            double ta = tbar - hbar;
            int iv = st.interval;
            gTimes[iv] += st.wa0 * ta + st.wb0 * hbar;
            gTimes[iv + 1] += st.wa1 * ta + st.wb1 * hbar;
        }
        while (currentInterval > 0) {
            currentInterval--;
            addInto(ybar, dLdy[currentInterval]);
        }
        return new Sensitivities(ybar, gTheta, gTimes, new SolveStats(nfe, steps.size(), 0));
    }

    /** Re-solves one step from its checkpoint: stage inputs into ys (k holds the slopes used). */
    private long recomputeStages(Step st, double[][] ys, double[][] k, boolean[] live) {
        int lastLive = 0;
        for (int s = 0; s < live.length; s++) {
            if (live[s]) {
                lastLive = s;
            }
        }
        long nfe = 0;
        int n = st.y.length;
        for (int s = 0; s <= lastLive; s++) {
            if (s > 0) {
                System.arraycopy(st.y, 0, ys[s], 0, n);
                for (int j = 0; j < s; j++) {
                    double w = st.h * tab.a(s, j);
                    if (w != 0) {
                        for (int i = 0; i < n; i++) {
                            ys[s][i] += w * k[j][i];
                        }
                    }
                }
            }
            if (s < lastLive) {
                f.eval(st.t + tab.c(s) * st.h, ys[s], k[s]);
                nfe++;
            }
        }
        return nfe;
    }

    private static void addInto(double[] acc, double[] v) {
        if (v != null) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] += v[i];
            }
        }
    }
}
