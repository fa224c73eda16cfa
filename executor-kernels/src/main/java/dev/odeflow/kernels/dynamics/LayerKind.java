package dev.odeflow.kernels.dynamics;

import java.util.Locale;

/** How time enters a layer (FFJORD's layer types). */
public enum LayerKind {
    /** y = W [t; x] + b: time as an extra input column (FFJORD's ConcatLinear, weight column 0 is t). */
    CONCAT,
    /** y = (W x + b) ⊙ sigmoid(W_g t + b_g) + W_hb t (FFJORD's ConcatSquashLinear). */
    CONCATSQUASH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LayerKind parse(String name) {
        for (LayerKind k : values()) {
            if (k.label().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown layer type '" + name + "'; expected concat or concatsquash");
    }
}
