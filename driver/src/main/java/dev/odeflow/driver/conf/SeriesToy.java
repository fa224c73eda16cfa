package dev.odeflow.driver.conf;

import java.util.Locale;

/** The built-in time series {@code data = toy:<name>} names when {@code model.kind} is trajectory or latent_ode. */
public enum SeriesToy {
    /** torchdiffeq's ode_demo: dy/dt = (y³)A, A = [[−0.1, 2], [−2, −0.1]], y(0) = (2, 0), on [0, 25]. */
    SPIRAL("spiral"),
    /** The lecture notes' pendulum θ'' = −sin θ, observed through θ alone: many swings (use data.delay). */
    PENDULUM("pendulum"),
    /** The latent ODE's bi-directional spirals (data.n series), irregularly observed, with noise. */
    BISPIRALS("bispirals");

    private final String label;

    SeriesToy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static SeriesToy parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (SeriesToy k : values()) {
            if (k.label.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown toy time series '" + name + "'; expected spiral, pendulum or bispirals");
    }
}
