package dev.odeflow.jobs.cli;

import dev.odeflow.driver.conf.CnfSettingsKeys;
import dev.odeflow.driver.conf.ConfigException;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.SolverConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies {@code key=value} solver overrides to a model's training settings (the ones its loss and gradient use),
 * spelled as in job files ({@link TrainKey}): {@code solver.method, solver.rtol, solver.atol, solver.steps,
 * gradient, model.divergence, adjoint.rtol, adjoint.atol, adjoint.seminorm, backend}, plus {@code step_size} (a
 * fixed step, which job files express as {@code solver.steps}). The short names of earlier versions
 * ({@code method, rtol, atol, steps, divergence, adjoint_rtol, adjoint_atol, seminorm}) are still accepted.
 * Setting the tolerances makes the solve adaptive and, unless the adjoint's are given, sets the adjoint's too;
 * steps or step_size make it fixed.
 */
public final class SolverOverrides {

    /** The fixed step size; job files give the number of steps instead. */
    static final String STEP_SIZE = "step_size";

    public static final Set<String> KEYS = new TreeSet<>(Set.of(TrainKey.SOLVER_METHOD.key(),
            TrainKey.SOLVER_RTOL.key(), TrainKey.SOLVER_ATOL.key(), TrainKey.SOLVER_STEPS.key(), STEP_SIZE,
            TrainKey.GRADIENT.key(), TrainKey.MODEL_DIVERGENCE.key(), TrainKey.ADJOINT_RTOL.key(),
            TrainKey.ADJOINT_ATOL.key(), TrainKey.ADJOINT_SEMINORM.key(), TrainKey.BACKEND.key()));

    /** Earlier short names and the job-file key each stands for. */
    static final Map<String, String> SHORT_NAMES = Map.of("method", TrainKey.SOLVER_METHOD.key(),
            "rtol", TrainKey.SOLVER_RTOL.key(), "atol", TrainKey.SOLVER_ATOL.key(),
            "steps", TrainKey.SOLVER_STEPS.key(), "divergence", TrainKey.MODEL_DIVERGENCE.key(),
            "adjoint_rtol", TrainKey.ADJOINT_RTOL.key(), "adjoint_atol", TrainKey.ADJOINT_ATOL.key(),
            "seminorm", TrainKey.ADJOINT_SEMINORM.key());

    private SolverOverrides() {
    }

    /** The settings with every override in {@code kv} applied; keys outside {@link #KEYS} plus {@code extra}
     *  (and the short names) are an error, as is a setting given under both of its names. */
    public static CnfSettings apply(CnfSettings base, Map<String, String> kv, Set<String> extra) {
        Map<String, String> byKey = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String k = SHORT_NAMES.getOrDefault(e.getKey(), e.getKey());
            if (!KEYS.contains(k) && !extra.contains(k)) {
                Set<String> all = new TreeSet<>(KEYS);
                all.addAll(extra);
                throw new UsageException("unknown setting '" + e.getKey() + "'; expected one of " + all);
            }
            if (byKey.put(k, e.getValue()) != null) {
                throw new UsageException("setting " + k + " given twice (as " + k + " and its short name)");
            }
        }
        try {
            return applyChecked(base, byKey);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The overrides applied as a job file would apply them ({@link CnfSettingsKeys}) to the model's settings
     * written as job keys: tolerances without steps make the training solve adaptive, and the adjoint follows
     * new solver tolerances unless its own are given.
     */
    private static CnfSettings applyChecked(CnfSettings base, Map<String, String> kv) {
        Map<String, String> values = new LinkedHashMap<>();
        CnfSettingsKeys.write(base).forEach((k, v) -> values.put(k.key(), CnfSettingsKeys.text(v)));
        String steps = TrainKey.SOLVER_STEPS.key();
        boolean tolerances = kv.containsKey(TrainKey.SOLVER_RTOL.key()) || kv.containsKey(TrainKey.SOLVER_ATOL.key());
        if (tolerances && !kv.containsKey(steps)) {
            values.put(steps, "0");
        }
        followSolver(values, kv, TrainKey.SOLVER_RTOL, TrainKey.ADJOINT_RTOL);
        followSolver(values, kv, TrainKey.SOLVER_ATOL, TrainKey.ADJOINT_ATOL);
        kv.forEach((k, v) -> {
            if (!k.equals(STEP_SIZE)) {
                values.put(k, v);
            }
        });
        Set<String> known = new TreeSet<>();
        CnfSettingsKeys.KEYS.forEach(k -> known.add(k.key()));
        CnfSettings s;
        try {
            s = CnfSettingsKeys.read(JobConf.of("override", values, known));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (kv.containsKey(STEP_SIZE)) {
            SolverConfig t = s.train();
            s = s.withTrain(SolverConfig.fixedSize(t.method(), number(STEP_SIZE, kv.get(STEP_SIZE)))
                    .withLimits(0, t.maxSteps(), t.maxNfe()));
        }
        return s;
    }

    /** When the solver's tolerance is overridden and the adjoint's is not, the adjoint's follows it. */
    private static void followSolver(Map<String, String> values, Map<String, String> kv, TrainKey solver,
                                     TrainKey adjoint) {
        if (kv.containsKey(solver.key()) && !kv.containsKey(adjoint.key())) {
            values.remove(adjoint.key());
        }
    }

    static double number(String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }
}
