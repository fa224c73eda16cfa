package dev.odeflow.kernels.solver;

/**
 * Immutable solver settings; share one instance across threads. Build with {@link #adaptive},
 * {@link #fixedSteps}, {@link #fixedSize} or {@link #fixedGrid} and refine with the {@code with*} methods.
 *
 * @param method       the Runge–Kutta method
 * @param mode         how steps are chosen
 * @param rtol         relative tolerance (adaptive)
 * @param atol         absolute tolerance (adaptive)
 * @param steps        steps per observation interval (FIXED_STEPS)
 * @param stepSize     step size (FIXED_SIZE)
 * @param grid         time grid (FIXED_GRID), from t0 to the last observation time
 * @param firstStep    first step for adaptive mode; 0 selects it by Hairer's rule
 * @param minStep      adaptive steps below this size abort the solve
 * @param maxSteps     accepted + rejected steps allowed before the solve aborts
 * @param maxNfe       function evaluations allowed before the solve aborts
 * @param safety       step controller safety factor
 * @param maxGrowth    largest step growth factor
 * @param minShrink    smallest step shrink factor
 * @param norm         the error norm (RMS or a seminorm)
 * @param landOnTimes  shorten steps to end exactly on observation times (discrete gradient methods);
 *                     otherwise observation times are served by dense output
 */
public record SolverConfig(Method method, StepMode mode, double rtol, double atol, int steps, double stepSize,
                           double[] grid, double firstStep, double minStep, long maxSteps, long maxNfe,
                           double safety, double maxGrowth, double minShrink, ErrorNorm norm,
                           boolean landOnTimes) implements java.io.Serializable {

    public static final long DEFAULT_MAX_STEPS = 100_000;
    public static final long DEFAULT_MAX_NFE = 2_000_000;
    /** The step controller's defaults (torchdiffeq's): safety factor, largest growth, smallest shrink. */
    public static final double DEFAULT_SAFETY = 0.9;
    public static final double DEFAULT_MAX_GROWTH = 10;
    public static final double DEFAULT_MIN_SHRINK = 0.2;
    /**
     * The largest {@code maxSteps} accepted: a fixed-step solve allocates its step grid (8 bytes a point) up
     * front, so the step budget also bounds that allocation (80 MB here).
     */
    public static final long MAX_STEPS_LIMIT = 10_000_000;

    public SolverConfig {
        if (method == null || mode == null || norm == null) {
            throw new IllegalArgumentException("solver method, step mode and norm are required");
        }
        if (mode == StepMode.ADAPTIVE) {
            if (!method.tableau().adaptive()) {
                throw new IllegalArgumentException("method " + method.label()
                        + " has no embedded error estimate; use fixed steps (steps=N) or bosh3/dopri5/tsit5");
            }
            positive("rtol", rtol);
            positive("atol", atol);
        }
        if (mode == StepMode.FIXED_STEPS && steps < 1) {
            throw new IllegalArgumentException("fixed steps per interval must be >= 1, got " + steps);
        }
        if (mode == StepMode.FIXED_SIZE) {
            positive("step size", stepSize);
        }
        if (mode == StepMode.FIXED_GRID) {
            if (grid == null || grid.length < 2) {
                throw new IllegalArgumentException("a time grid needs at least 2 points");
            }
            for (double g : grid) {
                if (!Double.isFinite(g)) {
                    throw new IllegalArgumentException("time grid contains a non-finite value: " + g);
                }
            }
            grid = grid.clone();
        }
        if (!(firstStep >= 0) || !Double.isFinite(firstStep)) {
            throw new IllegalArgumentException("first step must be >= 0 and finite, got " + firstStep);
        }
        if (!(minStep >= 0) || !Double.isFinite(minStep)) {
            throw new IllegalArgumentException("min step must be >= 0 and finite, got " + minStep);
        }
        if (maxSteps < 1 || maxNfe < 1) {
            throw new IllegalArgumentException("max_steps and max_nfe must be >= 1, got " + maxSteps + " and "
                    + maxNfe);
        }
        if (maxSteps > MAX_STEPS_LIMIT) {
            throw new IllegalArgumentException("max_steps " + maxSteps + " exceeds the limit of " + MAX_STEPS_LIMIT);
        }
        if (mode == StepMode.FIXED_STEPS && steps > maxSteps) {
            throw new IllegalArgumentException("fixed steps " + steps + " exceed the step budget max_steps = "
                    + maxSteps);
        }
        if (mode == StepMode.FIXED_GRID && grid.length - 1L > maxSteps) {
            throw new IllegalArgumentException("a time grid of " + grid.length + " points exceeds the step budget"
                    + " max_steps = " + maxSteps);
        }
        if (!(safety > 0 && safety <= 1) || !(maxGrowth >= 1) || !(minShrink > 0 && minShrink <= 1)) {
            throw new IllegalArgumentException("step controller needs 0<safety<=1, growth>=1, 0<shrink<=1");
        }
    }

    public static SolverConfig adaptive(Method method, double rtol, double atol) {
        return standard(method, StepMode.ADAPTIVE, rtol, atol, 0, 0, null, DEFAULT_MAX_STEPS, DEFAULT_MAX_NFE);
    }

    public static SolverConfig fixedSteps(Method method, int steps) {
        return fixedSteps(method, steps, DEFAULT_MAX_STEPS, DEFAULT_MAX_NFE);
    }

    /** Fixed steps with a step and NFE budget of its own (the budget is checked first, so steps may exceed the default). */
    public static SolverConfig fixedSteps(Method method, int steps, long maxSteps, long maxNfe) {
        return standard(method, StepMode.FIXED_STEPS, 0, 0, steps, 0, null, maxSteps, maxNfe);
    }

    public static SolverConfig fixedSize(Method method, double h) {
        return standard(method, StepMode.FIXED_SIZE, 0, 0, 0, h, null, DEFAULT_MAX_STEPS, DEFAULT_MAX_NFE);
    }

    public static SolverConfig fixedGrid(Method method, double[] grid) {
        return standard(method, StepMode.FIXED_GRID, 0, 0, 0, 0, grid, DEFAULT_MAX_STEPS, DEFAULT_MAX_NFE);
    }

    /** The one place the controller's defaults, the automatic first step and the RMS norm are chosen. */
    private static SolverConfig standard(Method method, StepMode mode, double rtol, double atol, int steps,
                                         double stepSize, double[] grid, long maxSteps, long maxNfe) {
        return new SolverConfig(method, mode, rtol, atol, steps, stepSize, grid, 0, 0, maxSteps, maxNfe,
                DEFAULT_SAFETY, DEFAULT_MAX_GROWTH, DEFAULT_MIN_SHRINK, ErrorNorm.RMS, false);
    }

    /** Whether the controller, first step, minimum step, norm and landing are the factories' defaults. */
    public boolean hasStandardControl() {
        return firstStep == 0 && minStep == 0 && safety == DEFAULT_SAFETY && maxGrowth == DEFAULT_MAX_GROWTH
                && minShrink == DEFAULT_MIN_SHRINK && norm.equals(ErrorNorm.RMS) && !landOnTimes;
    }

    public SolverConfig withTolerances(double rtol, double atol) {
        return new SolverConfig(method, mode, rtol, atol, steps, stepSize, grid, firstStep, minStep, maxSteps,
                maxNfe, safety, maxGrowth, minShrink, norm, landOnTimes);
    }

    public SolverConfig withLimits(double minStep, long maxSteps, long maxNfe) {
        return new SolverConfig(method, mode, rtol, atol, steps, stepSize, grid, firstStep, minStep, maxSteps,
                maxNfe, safety, maxGrowth, minShrink, norm, landOnTimes);
    }

    public SolverConfig withFirstStep(double firstStep) {
        return new SolverConfig(method, mode, rtol, atol, steps, stepSize, grid, firstStep, minStep, maxSteps,
                maxNfe, safety, maxGrowth, minShrink, norm, landOnTimes);
    }

    public SolverConfig withNorm(ErrorNorm norm) {
        return new SolverConfig(method, mode, rtol, atol, steps, stepSize, grid, firstStep, minStep, maxSteps,
                maxNfe, safety, maxGrowth, minShrink, norm, landOnTimes);
    }

    public SolverConfig withLanding(boolean land) {
        return new SolverConfig(method, mode, rtol, atol, steps, stepSize, grid, firstStep, minStep, maxSteps,
                maxNfe, safety, maxGrowth, minShrink, norm, land);
    }

    @Override
    public double[] grid() {
        return grid == null ? null : grid.clone();
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be > 0 and finite, got " + v);
        }
    }

    @Override
    public String toString() {
        return switch (mode) {
            case ADAPTIVE -> method.label() + "(rtol=" + rtol + ", atol=" + atol + ")";
            case FIXED_STEPS -> method.label() + "(steps=" + steps + ")";
            case FIXED_SIZE -> method.label() + "(h=" + stepSize + ")";
            case FIXED_GRID -> method.label() + "(grid of " + grid.length + ")";
        };
    }
}
