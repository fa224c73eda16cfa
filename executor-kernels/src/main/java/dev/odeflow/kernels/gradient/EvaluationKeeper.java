package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.KeptEvaluation;
import dev.odeflow.kernels.solver.OdeSystem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The system a direct-backprop forward solve runs: each evaluation of f is kept ({@link
 * DifferentiableSystem#evalKept}) while the kept ones fit the byte budget, and {@link #claim} hands each accepted
 * step the evaluations at its stages. A stage is matched by its time and its input, compared value for value,
 * so whatever order the solver evaluates in (FSAL reuse, rejected steps), a kept evaluation is only ever used
 * at the point it was made; the evaluations no step claims are released at once.
 */
final class EvaluationKeeper implements OdeSystem {

    /** An evaluation of f at (t, y) with its value and what its VJP needs. */
    record Kept(double t, double[] y, double[] f, KeptEvaluation evaluation) {
    }

    private final DifferentiableSystem f;
    private final long budgetBytes;
    private final List<Kept> pending = new ArrayList<>();
    private long keptBytes;

    EvaluationKeeper(DifferentiableSystem f, long budgetBytes) {
        this.f = f;
        this.budgetBytes = budgetBytes;
    }

    @Override
    public int dim() {
        return f.dim();
    }

    @Override
    public void eval(double t, double[] y, double[] dydt) {
        long left = budgetBytes - keptBytes;
        KeptEvaluation e = left > 0 ? f.evalKept(t, y, dydt, left) : null;
        if (e == null) {
            if (left <= 0) {
                f.eval(t, y, dydt);
            }
            return;
        }
        keptBytes += e.bytes();
        pending.add(new Kept(t, y.clone(), dydt.clone(), e));
    }

    /**
     * The kept evaluations of an accepted step's stages: entry s is the one at time {@code stageTimes[s]} and
     * input {@code stageInputs[s]}, or null (none kept, or the stage is not needed: a null input). Every other
     * pending evaluation is released, except the latest, which the next step may still use (FSAL).
     */
    Kept[] claim(double[] stageTimes, double[][] stageInputs) {
        Kept[] out = new Kept[stageTimes.length];
        for (int s = 0; s < out.length; s++) {
            if (stageInputs[s] == null) {
                continue;
            }
            for (int i = pending.size() - 1; i >= 0; i--) {
                Kept k = pending.get(i);
                if (k.t == stageTimes[s] && Arrays.equals(k.y, stageInputs[s])) {
                    out[s] = k;
                    pending.remove(i);
                    break;
                }
            }
        }
        Kept latest = pending.isEmpty() ? null : pending.remove(pending.size() - 1);
        releasePending();
        if (latest != null) {
            pending.add(latest);
        }
        return out;
    }

    /** Releases what no step claimed (at the end of the solve, or when it fails). */
    void releasePending() {
        for (Kept k : pending) {
            keptBytes -= k.evaluation.bytes();
            k.evaluation.release();
        }
        pending.clear();
    }
}
