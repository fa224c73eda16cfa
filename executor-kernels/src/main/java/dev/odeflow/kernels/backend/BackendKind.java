package dev.odeflow.kernels.backend;

import java.util.Locale;

/** The {@code backend} setting: auto uses CUDA where a driver and a device exist, else the CPU. */
public enum BackendKind {
    AUTO, CPU, CUDA;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackendKind parse(String name) {
        for (BackendKind k : values()) {
            if (k.label().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; expected auto, cpu or cuda");
    }
}
