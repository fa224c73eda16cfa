package dev.odeflow.driver.conf;

import java.util.Locale;

/** Learning-rate schedule shape (after the optional linear warm-up). */
public enum ScheduleKind {
    /** Constant learning rate. */
    NONE,
    /** Cosine decay from lr to min_lr over the run. */
    COSINE,
    /** lr · gamma^floor(iteration / step_size). */
    STEP;

    public static ScheduleKind parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
            case "none", "constant" -> NONE;
            case "cosine" -> COSINE;
            case "step" -> STEP;
            default -> throw new IllegalArgumentException("expected none, cosine or step");
        };
    }
}
