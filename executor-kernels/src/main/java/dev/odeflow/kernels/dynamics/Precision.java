package dev.odeflow.kernels.dynamics;

import java.util.Locale;

/**
 * The arithmetic of the dynamics network's evaluations ({@link OdeNet}'s passes). The solver, the adjoint, the
 * state, the time and the parameter vector stay in double either way; only the layers' products and
 * activations change.
 */
public enum Precision {
    /** Double throughout: the default, and the reference every check compares against. */
    FLOAT64,
    /**
     * The layers in float ({@link FloatGemm}: twice the SIMD lanes): θ rounded to float per forward call,
     * activations and the gradients of one backward call kept in float, f, the trace and the gradients handed
     * back in double. Agrees with {@link #FLOAT64} to float accuracy (about 1e-6 relative).
     */
    FLOAT32;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; expected float64 or float32");
    }
}
