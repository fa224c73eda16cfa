package dev.odeflow.jobs.cli;

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
 * Applies {@code key=value} solver overrides to a model's training settings (the ones its loss and gradient use):
 * {@code method, rtol, atol, steps, step_size, gradient, divergence, adjoint_rtol, adjoint_atol, seminorm,
 * backend}. Setting rtol/atol makes the solve adaptive and, unless adjoint_* are given, sets the adjoint's too;
 * steps or step_size make it fixed.
 */
public final class SolverOverrides {

    public static final Set<String> KEYS = new TreeSet<>(Set.of("method", "rtol", "atol", "steps", "step_size",
            "gradient", "divergence", "adjoint_rtol", "adjoint_atol", "seminorm", "backend"));

    private SolverOverrides() {
    }

    /** The settings with every override in {@code kv} applied; keys outside {@link #KEYS} plus {@code extra}
     *  are an error. */
    public static CnfSettings apply(CnfSettings base, Map<String, String> kv, Set<String> extra) {
        for (String k : kv.keySet()) {
            if (!KEYS.contains(k) && !extra.contains(k)) {
                Set<String> all = new TreeSet<>(KEYS);
                all.addAll(extra);
                throw new UsageException("unknown setting '" + k + "'; expected one of " + all);
            }
        }
        try {
            return applyChecked(base, kv);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static CnfSettings applyChecked(CnfSettings base, Map<String, String> kv) {
        SolverConfig t = base.train();
        Method method = kv.containsKey("method") ? Method.parse(kv.get("method")) : t.method();
        SolverConfig solver;
        if (kv.containsKey("steps")) {
            solver = SolverConfig.fixedSteps(method, integer("steps", kv.get("steps")));
        } else if (kv.containsKey("step_size")) {
            solver = SolverConfig.fixedSize(method, number("step_size", kv.get("step_size")));
        } else if (kv.containsKey("rtol") || kv.containsKey("atol") || t.mode() == StepMode.ADAPTIVE) {
            double rtol = kv.containsKey("rtol") ? number("rtol", kv.get("rtol")) : t.mode() == StepMode.ADAPTIVE ? t.rtol() : 1e-5;
            double atol = kv.containsKey("atol") ? number("atol", kv.get("atol")) : t.mode() == StepMode.ADAPTIVE ? t.atol() : 1e-5;
            solver = SolverConfig.adaptive(method, rtol, atol).withLimits(t.minStep(), t.maxSteps(), t.maxNfe());
        } else {
            solver = new SolverConfig(method, t.mode(), t.rtol(), t.atol(), t.steps(), t.stepSize(), t.grid(),
                    t.firstStep(), t.minStep(), t.maxSteps(), t.maxNfe(), t.safety(), t.maxGrowth(), t.minShrink(),
                    t.norm(), t.landOnTimes());
        }
        CnfSettings s = base.withTrain(solver);
        if (kv.containsKey("gradient")) {
            s = s.withGradient(GradientMethod.parse(kv.get("gradient")));
        }
        if (kv.containsKey("divergence")) {
            s = s.withDivergence(Divergence.parse(kv.get("divergence")));
        }
        if (kv.containsKey("backend")) {
            s = s.withBackend(BackendKind.parse(kv.get("backend")));
        }
        AdjointOptions a = s.adjoint();
        double artol = kv.containsKey("adjoint_rtol") ? number("adjoint_rtol", kv.get("adjoint_rtol"))
                : kv.containsKey("rtol") ? solver.rtol() : a.rtol();
        double aatol = kv.containsKey("adjoint_atol") ? number("adjoint_atol", kv.get("adjoint_atol"))
                : kv.containsKey("atol") ? solver.atol() : a.atol();
        boolean semi = kv.containsKey("seminorm") ? bool("seminorm", kv.get("seminorm")) : a.seminorm();
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
