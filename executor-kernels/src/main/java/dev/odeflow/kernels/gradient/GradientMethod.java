package dev.odeflow.kernels.gradient;

import java.util.Locale;

/** How gradients flow back through a solve; a parameter of the solve, not a different solver. */
public enum GradientMethod {
    /** Algorithm 2 of Chen et al.: one reverse-time solve of [z, a, a_θ, a_t]; memory independent of steps. */
    BACKSOLVE_ADJOINT("adjoint"),
    /** Keeps the state at each accepted step and re-solves each step backwards (exact discrete gradient). */
    CHECKPOINTED_ADJOINT("checkpoint"),
    /** Backprop through the stored stages of every step (the seeds' RK-Net). */
    DIRECT_BACKPROP("direct");

    private final String label;

    GradientMethod(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static GradientMethod parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (GradientMethod m : values()) {
            if (m.label.equals(key) || m.name().toLowerCase(Locale.ROOT).equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown gradient method '" + name
                + "'; expected adjoint, checkpoint or direct");
    }
}
