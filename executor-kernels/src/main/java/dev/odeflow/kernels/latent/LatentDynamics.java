package dev.odeflow.kernels.latent;

import java.util.Locale;

/** How the latent state moves between observation times ({@code model.dynamics}). */
public enum LatentDynamics {
    /** The latent ODE: an MLP vector field solved from z0 (Chen et al. 2018 §5). */
    ODE("ode"),
    /** The RNN baseline with the same encoder and decoder: a GRU cell fed the time gap steps z. */
    GRU("gru");

    private final String label;

    LatentDynamics(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static LatentDynamics parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (LatentDynamics d : values()) {
            if (d.label.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown latent dynamics '" + name + "'; expected ode or gru");
    }
}
