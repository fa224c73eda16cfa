package dev.odeflow.jobs.model;

import java.util.Locale;

/** The safetensors element types odeflow reads and writes: 32- and 64-bit IEEE floats, little-endian. */
public enum TensorDtype {
    F32(4),
    F64(8);

    private final int width;

    TensorDtype(int width) {
        this.width = width;
    }

    /** Bytes per element. */
    public int width() {
        return width;
    }

    /** Parses "F32"/"f32"/"float32" and "F64"/"f64"/"float64". */
    public static TensorDtype parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        return switch (key) {
            case "F32", "FLOAT32", "FLOAT" -> F32;
            case "F64", "FLOAT64", "DOUBLE" -> F64;
            default -> throw new IllegalArgumentException("unsupported tensor dtype '" + name + "'; expected F32 or F64");
        };
    }
}
