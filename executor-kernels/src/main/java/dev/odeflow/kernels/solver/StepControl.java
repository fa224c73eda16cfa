package dev.odeflow.kernels.solver;

/**
 * The step-size controller and the guards every solve loop shares (the host engine and the CUDA resident
 * solver): the next step from the error ratio, and the step, NFE and underflow budgets.
 */
public final class StepControl {

    private StepControl() {
    }

    /**
     * The factor for the next step: safety·ratio^(−1/(q+1)) with q the embedded order, at most
     * {@code maxGrowth}, at least {@code minShrink} after a rejection and at least 1 after an acceptance.
     *
     * @throws SolverException when the ratio is NaN or infinite
     */
    public static double factor(SolverConfig cfg, double ratio, int errorOrder, double t, double h, long nfe) {
        if (!Double.isFinite(ratio)) {
            throw new SolverException("non-finite state or error estimate (" + ratio + ")", t, h, nfe);
        }
        if (ratio == 0) {
            return cfg.maxGrowth();
        }
        double proposed = cfg.safety() * StrictMath.pow(ratio, -1.0 / (errorOrder + 1));
        return Math.min(cfg.maxGrowth(), Math.max(proposed, ratio <= 1 ? 1 : cfg.minShrink()));
    }

    /** Throws when the step from t to tNext makes no progress or is below the minimum step. */
    public static void checkStep(SolverConfig cfg, double t, double tNext, double h, long nfe) {
        if (tNext == t || Math.abs(h) < cfg.minStep()) {
            throw new SolverException("step size underflow (minimum " + cfg.minStep() + ")", t, h, nfe);
        }
    }

    /** Throws when one more step of {@code stages} evaluations would exceed the step or NFE budget. */
    public static void checkBudget(SolverConfig cfg, long steps, long nfe, int stages, double t, double h) {
        if (steps >= cfg.maxSteps()) {
            throw new SolverException("maximum number of steps (" + cfg.maxSteps() + ") reached", t, h, nfe);
        }
        if (nfe + stages > cfg.maxNfe()) {
            throw new SolverException("maximum number of function evaluations (" + cfg.maxNfe() + ") reached", t, h,
                    nfe);
        }
    }
}
