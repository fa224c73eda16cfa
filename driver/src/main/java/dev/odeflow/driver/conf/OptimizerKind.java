package dev.odeflow.driver.conf;

import java.util.Locale;

/** The driver-side optimizer. */
public enum OptimizerKind {
    ADAM, SGD;

    public static OptimizerKind parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
            case "adam" -> ADAM;
            case "sgd" -> SGD;
            default -> throw new IllegalArgumentException("expected adam or sgd");
        };
    }
}
