package dev.odeflow.driver.conf;

import java.util.Locale;

/** What to do with input rows that contain NaN or missing values. */
public enum NanPolicy {
    /** Stop with an error that gives the number of such rows. */
    FAIL,
    /** Drop them and log how many were dropped. */
    DROP;

    public static NanPolicy parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
            case "fail" -> FAIL;
            case "drop" -> DROP;
            default -> throw new IllegalArgumentException("expected fail or drop");
        };
    }
}
