package dev.odeflow.driver.conf;

import java.util.Locale;

/**
 * What a run does with the checkpoints in its checkpoint directory (key {@code resume}).
 *
 * <p>{@link #AUTO} is for jobs that a scheduler (cron, Airflow, a retried spark-submit) may start again after a
 * failure with the same job file: the retry continues where the failed attempt's last checkpoint left off, and
 * the first attempt starts fresh.
 */
public enum ResumePolicy {
    /** {@code resume = false}: start fresh; checkpoints already there are handled by {@code checkpoint.existing}. */
    NEVER("false"),
    /**
     * {@code resume = true}: continue from the newest checkpoint; start fresh (with a log line) when there is
     * none; a checkpoint of another configuration is an error naming every differing key.
     */
    ALWAYS("true"),
    /**
     * {@code resume = auto}: continue from the newest checkpoint when it was written by this job's configuration
     * (same fingerprint), start fresh when there is none; checkpoints of another configuration are handled like a
     * fresh run's ({@code checkpoint.existing}: fail naming the differing keys, or move them aside).
     */
    AUTO("auto");

    private final String label;

    ResumePolicy(String label) {
        this.label = label;
    }

    /** The value as written in a job file: false, true or auto. */
    public String label() {
        return label;
    }

    /** Whether this run may continue from a checkpoint. */
    public boolean mayResume() {
        return this != NEVER;
    }

    /** false (no, 0, never), true (yes, 1, always) or auto, case-insensitive, as the other boolean keys. */
    public static ResumePolicy parse(String s) {
        String key = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "false", "no", "0", "never" -> NEVER;
            case "true", "yes", "1", "always" -> ALWAYS;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("expected false, true or auto, got '" + s + "'");
        };
    }
}
