package dev.odeflow.driver.conf;

import java.util.Locale;

/** What a job trains ({@code model.kind}): each kind is one objective behind the shared training loop. */
public enum ModelKind {
    /** A continuous normalizing flow (FFJORD) on rows of n×d data: the default. */
    CNF("cnf"),
    /** A vector field fitted to observed trajectories (torchdiffeq's ode_demo) on time series. */
    TRAJECTORY("trajectory"),
    /** The latent ODE (Chen et al. 2018 §5): a GRU encoder, latent dynamics and a decoder on time series. */
    LATENT_ODE("latent_ode"),
    /** An image classifier (the seeds' MNIST table): an ODE block, residual blocks or an MLP on labelled images. */
    CLASSIFIER("classifier");

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ModelKind parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ModelKind k : values()) {
            if (k.label.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model kind '" + name + "'; expected cnf, trajectory, latent_ode"
                + " or classifier");
    }
}
