package dev.odeflow.driver.conf;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.StepMode;
import dev.odeflow.kernels.trace.Divergence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.odeflow.driver.conf.KeyReads.at;
import static dev.odeflow.driver.conf.KeyReads.atLeastOne;
import static dev.odeflow.driver.conf.KeyReads.bool;
import static dev.odeflow.driver.conf.KeyReads.dbl;
import static dev.odeflow.driver.conf.KeyReads.integer;
import static dev.odeflow.driver.conf.KeyReads.longValue;
import static dev.odeflow.driver.conf.KeyReads.positive;
import static dev.odeflow.driver.conf.KeyReads.str;

/**
 * A model's kernel settings ({@link CnfSettings}: solvers, gradient, adjoint, divergence, trainable T, backend,
 * regularization)
 * read from job keys and written back as job keys. Job files, {@code grad}'s overrides, {@code model.json} and
 * the Spark ML params all go through here, so each setting has one name ({@link TrainKey}) and one reading.
 */
public final class CnfSettingsKeys {

    /** The solver keys of the training solve and of the evaluation solve. */
    private record SolverKeys(TrainKey method, TrainKey rtol, TrainKey atol, TrainKey steps, TrainKey maxSteps,
                              TrainKey maxNfe) {
    }

    private static final SolverKeys TRAIN = new SolverKeys(TrainKey.SOLVER_METHOD, TrainKey.SOLVER_RTOL,
            TrainKey.SOLVER_ATOL, TrainKey.SOLVER_STEPS, TrainKey.SOLVER_MAX_STEPS, TrainKey.SOLVER_MAX_NFE);
    private static final SolverKeys EVAL = new SolverKeys(TrainKey.EVAL_METHOD, TrainKey.EVAL_RTOL,
            TrainKey.EVAL_ATOL, TrainKey.EVAL_STEPS, TrainKey.EVAL_MAX_STEPS, TrainKey.EVAL_MAX_NFE);

    /** Every key {@link #read} uses, in the order {@link #write} gives them. */
    public static final List<TrainKey> KEYS = List.of(TrainKey.SOLVER_METHOD, TrainKey.SOLVER_RTOL,
            TrainKey.SOLVER_ATOL, TrainKey.SOLVER_STEPS, TrainKey.SOLVER_MAX_STEPS, TrainKey.SOLVER_MAX_NFE,
            TrainKey.GRADIENT, TrainKey.ADJOINT_RTOL, TrainKey.ADJOINT_ATOL, TrainKey.ADJOINT_SEMINORM,
            TrainKey.MODEL_DIVERGENCE, TrainKey.MODEL_TRAIN_T, TrainKey.EVAL_METHOD, TrainKey.EVAL_RTOL,
            TrainKey.EVAL_ATOL, TrainKey.EVAL_STEPS, TrainKey.EVAL_MAX_STEPS, TrainKey.EVAL_MAX_NFE, TrainKey.BACKEND,
            TrainKey.REGULARIZATION_L2INT, TrainKey.REGULARIZATION_JFROBINT);

    /**
     * Keys of {@link #KEYS} added after model.json format 3 was first written: a model.json without them was
     * trained without them and reads them as their defaults.
     */
    public static final List<TrainKey> ADDED_LATER = List.of(TrainKey.REGULARIZATION_L2INT,
            TrainKey.REGULARIZATION_JFROBINT);

    private CnfSettingsKeys() {
    }

    /** The settings the keys of {@code c} give (defaults for the rest); errors name the key and its origin. */
    public static CnfSettings read(JobConf c) {
        Divergence div = at(c, TrainKey.MODEL_DIVERGENCE, () -> Divergence.parse(str(c, TrainKey.MODEL_DIVERGENCE)));
        boolean trainT = bool(c, TrainKey.MODEL_TRAIN_T);
        SolverConfig train = solver(c, TRAIN);
        SolverConfig eval = solver(c, EVAL);
        GradientMethod grad = at(c, TrainKey.GRADIENT, () -> GradientMethod.parse(str(c, TrainKey.GRADIENT)));
        double artol = adjointTolerance(c, TrainKey.ADJOINT_RTOL, TrainKey.SOLVER_RTOL);
        double aatol = adjointTolerance(c, TrainKey.ADJOINT_ATOL, TrainKey.SOLVER_ATOL);
        boolean seminorm = bool(c, TrainKey.ADJOINT_SEMINORM);
        BackendKind backend = at(c, TrainKey.BACKEND, () -> BackendKind.parse(str(c, TrainKey.BACKEND)));
        // each weight checked on its own, so that the error names its key
        double l2int = at(c, TrainKey.REGULARIZATION_L2INT,
                () -> new Regularization(dbl(c, TrainKey.REGULARIZATION_L2INT), 0).kineticEnergy());
        double jfrobint = at(c, TrainKey.REGULARIZATION_JFROBINT,
                () -> new Regularization(0, dbl(c, TrainKey.REGULARIZATION_JFROBINT)).jacobianFrobenius());
        return at(c, TrainKey.BACKEND, () -> new CnfSettings(train, eval, grad,
                new AdjointOptions(artol, aatol, seminorm), div, trainT, backend, new Regularization(l2int, jfrobint)));
    }

    /**
     * The job keys that {@link #read} turns back into {@code s}, as typed values (String, Integer, Long, Double
     * or Boolean); the tolerances of a fixed-step solver are left out. A solver no job key can express (a fixed
     * step size or grid, a tuned step controller, a seminorm) is an {@link IllegalArgumentException}.
     */
    public static Map<TrainKey, Object> write(CnfSettings s) {
        Map<TrainKey, Object> m = new LinkedHashMap<>();
        solver(m, s.train(), TRAIN);
        m.put(TrainKey.GRADIENT, s.gradient().label());
        m.put(TrainKey.ADJOINT_RTOL, s.adjoint().rtol());
        m.put(TrainKey.ADJOINT_ATOL, s.adjoint().atol());
        m.put(TrainKey.ADJOINT_SEMINORM, s.adjoint().seminorm());
        m.put(TrainKey.MODEL_DIVERGENCE, s.divergence().label());
        m.put(TrainKey.MODEL_TRAIN_T, s.trainEndTime());
        solver(m, s.eval(), EVAL);
        m.put(TrainKey.BACKEND, s.backend().label());
        m.put(TrainKey.REGULARIZATION_L2INT, s.regularization().kineticEnergy());
        m.put(TrainKey.REGULARIZATION_JFROBINT, s.regularization().jacobianFrobenius());
        return m;
    }

    /** {@code value} as a job file writes it ({@code Double.toString} round-trips exactly). */
    public static String text(Object value) {
        return String.valueOf(value);
    }

    private static void solver(Map<TrainKey, Object> m, SolverConfig s, SolverKeys k) {
        boolean adaptive = s.mode() == StepMode.ADAPTIVE;
        if (!(adaptive || s.mode() == StepMode.FIXED_STEPS) || !s.hasStandardControl()) {
            throw new IllegalArgumentException("the solver " + s + " (" + s.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + ", or a step controller other than the default) has no job keys; " + k.method().key()
                    + " and " + k.steps().key() + " express adaptive and fixed-step solvers");
        }
        m.put(k.method(), s.method().label());
        if (adaptive) {
            m.put(k.rtol(), s.rtol());
            m.put(k.atol(), s.atol());
        }
        m.put(k.steps(), adaptive ? 0 : s.steps());
        m.put(k.maxSteps(), s.maxSteps());
        m.put(k.maxNfe(), s.maxNfe());
    }

    /** A solver from its method, fixed steps (0 = adaptive), budgets and tolerances; errors name the key. */
    private static SolverConfig solver(JobConf c, SolverKeys k) {
        double rtol = at(c, k.rtol(), () -> positive(dbl(c, k.rtol())));
        double atol = at(c, k.atol(), () -> positive(dbl(c, k.atol())));
        long maxSteps = at(c, k.maxSteps(), () -> {
            long v = longValue(c, k.maxSteps());
            if (v < 1 || v > SolverConfig.MAX_STEPS_LIMIT) {
                throw new IllegalArgumentException("must be between 1 and " + SolverConfig.MAX_STEPS_LIMIT);
            }
            return v;
        });
        long maxNfe = at(c, k.maxNfe(), () -> atLeastOne(longValue(c, k.maxNfe())));
        int steps = at(c, k.steps(), () -> {
            int v = integer(c, k.steps());
            if (v < 0) {
                throw new IllegalArgumentException("steps must be >= 0");
            }
            if (v > maxSteps) {
                throw new IllegalArgumentException("exceeds the step budget " + k.maxSteps().key() + " = " + maxSteps);
            }
            return v;
        });
        return at(c, k.method(), () -> {
            Method m = Method.parse(str(c, k.method()));
            return steps > 0 ? SolverConfig.fixedSteps(m, steps, maxSteps, maxNfe)
                    : SolverConfig.adaptive(m, rtol, atol).withLimits(0, maxSteps, maxNfe);
        });
    }

    /** The adjoint's tolerance: its own key when set and not empty, else the training solver's. */
    private static double adjointTolerance(JobConf c, TrainKey own, TrainKey solver) {
        TrainKey k = c.contains(own.key()) && !str(c, own).isBlank() ? own : solver;
        return at(c, k, () -> positive(dbl(c, k)));
    }
}
