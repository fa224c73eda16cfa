package dev.odeflow.kernels.trace;

import java.util.Locale;

/** How tr(∂f/∂z) is computed in the CNF's log-density equation. */
public enum Divergence {
    /** Exact trace from d forward-mode tangents, one per basis direction. */
    EXACT,
    /** Hutchinson's estimator εᵀ(∂f/∂z)ε with Rademacher ε, drawn once per solve. */
    RADEMACHER,
    /** Hutchinson's estimator with standard normal ε, drawn once per solve. */
    GAUSSIAN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Divergence parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "exact", "brute_force" -> EXACT;
            case "rademacher", "hutchinson", "approximate" -> RADEMACHER;
            case "gaussian" -> GAUSSIAN;
            default -> throw new IllegalArgumentException("unknown divergence '" + name
                    + "'; expected exact, rademacher or gaussian");
        };
    }
}
