package dev.odeflow.driver.conf;

import java.util.Locale;

/** What a run does when its final validation or test NLL is NaN or infinite ({@code eval.nonfinite}). */
public enum NonFiniteMetrics {
    /** The job fails (non-zero exit) and no model is written. */
    FAIL,
    /** The run finishes, says so in its last line and its result carries the non-finite numbers. */
    ACCEPT;

    public static NonFiniteMetrics parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
            case "fail" -> FAIL;
            case "accept" -> ACCEPT;
            default -> throw new IllegalArgumentException("expected fail or accept");
        };
    }
}
