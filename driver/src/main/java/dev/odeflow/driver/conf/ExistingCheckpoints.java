package dev.odeflow.driver.conf;

import java.util.Locale;

/** What a fresh run (resume=false) does when its checkpoint directory already holds checkpoints. */
public enum ExistingCheckpoints {
    /** Refuse to start, naming the checkpoints found (the default: they belong to another run). */
    FAIL,
    /** Move them into {@code superseded-<time>/} inside the checkpoint directory, then start. */
    MOVE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExistingCheckpoints parse(String s) {
        String key = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "fail" -> FAIL;
            case "move" -> MOVE;
            default -> throw new IllegalArgumentException("expected fail or move, got '" + s + "'");
        };
    }
}
