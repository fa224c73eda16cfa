package dev.odeflow.jobs.cli;

import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.StepMode;

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

    private static CnfSettings applyChecked(CnfSettings base, Map<String, String> kv) {
        String methodKey = TrainKey.SOLVER_METHOD.key();
        String rtolKey = TrainKey.SOLVER_RTOL.key();
        String atolKey = TrainKey.SOLVER_ATOL.key();
        String stepsKey = TrainKey.SOLVER_STEPS.key();
        SolverConfig t = base.train();
        Method method = kv.containsKey(methodKey) ? Method.parse(kv.get(methodKey)) : t.method();
        SolverConfig solver;
        if (kv.containsKey(stepsKey)) {
            solver = SolverConfig.fixedSteps(method, integer(stepsKey, kv.get(stepsKey)));
        } else if (kv.containsKey(STEP_SIZE)) {
            solver = SolverConfig.fixedSize(method, number(STEP_SIZE, kv.get(STEP_SIZE)));
        } else if (kv.containsKey(rtolKey) || kv.containsKey(atolKey) || t.mode() == StepMode.ADAPTIVE) {
            boolean adaptive = t.mode() == StepMode.ADAPTIVE;
            double rtol = kv.containsKey(rtolKey) ? number(rtolKey, kv.get(rtolKey)) : adaptive ? t.rtol() : 1e-5;
            double atol = kv.containsKey(atolKey) ? number(atolKey, kv.get(atolKey)) : adaptive ? t.atol() : 1e-5;
            solver = SolverConfig.adaptive(method, rtol, atol).withLimits(t.minStep(), t.maxSteps(), t.maxNfe());
        } else {
            solver = new SolverConfig(method, t.mode(), t.rtol(), t.atol(), t.steps(), t.stepSize(), t.grid(),
                    t.firstStep(), t.minStep(), t.maxSteps(), t.maxNfe(), t.safety(), t.maxGrowth(), t.minShrink(),
                    t.norm(), t.landOnTimes());
        }
        CnfSettings s = base.withTrain(solver);
        if (kv.containsKey(TrainKey.GRADIENT.key())) {
            s = s.withGradient(GradientMethod.parse(kv.get(TrainKey.GRADIENT.key())));
        }
        if (kv.containsKey(TrainKey.MODEL_DIVERGENCE.key())) {
            s = s.withDivergence(Divergence.parse(kv.get(TrainKey.MODEL_DIVERGENCE.key())));
        }
        if (kv.containsKey(TrainKey.BACKEND.key())) {
            s = s.withBackend(BackendKind.parse(kv.get(TrainKey.BACKEND.key())));
        }
        AdjointOptions a = s.adjoint();
        String artolKey = TrainKey.ADJOINT_RTOL.key();
        String aatolKey = TrainKey.ADJOINT_ATOL.key();
        String semiKey = TrainKey.ADJOINT_SEMINORM.key();
        double artol = kv.containsKey(artolKey) ? number(artolKey, kv.get(artolKey))
                : kv.containsKey(rtolKey) ? solver.rtol() : a.rtol();
        double aatol = kv.containsKey(aatolKey) ? number(aatolKey, kv.get(aatolKey))
                : kv.containsKey(atolKey) ? solver.atol() : a.atol();
        boolean semi = kv.containsKey(semiKey) ? bool(semiKey, kv.get(semiKey)) : a.seminorm();
        return s.withAdjoint(new AdjointOptions(artol, aatol, semi));
    }

    static double number(String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }

    static int integer(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    static boolean bool(String key, String v) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        };
    }
}
