package dev.odeflow.jobs.train;

import dev.odeflow.driver.checkpoint.RescueCheckpoint;
import dev.odeflow.driver.conf.TrainConfig;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Optional;

/**
 * A training run whose model directory or pictures could not be written (full disk, read-only directory): the
 * message names the path and the cause, and says where the trained parameters were kept
 * ({@link RescueCheckpoint}) and how to write the model from them without training again.
 */
public final class FailedFinalWrite extends IOException {

    private static final long serialVersionUID = 1L;

    private FailedFinalWrite(String message, Throwable cause) {
        super(message, cause);
    }

    public static FailedFinalWrite of(Exception e, String dir, FinishedRun run, TrainConfig cfg, Configuration conf) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        StringBuilder problems = new StringBuilder();
        Optional<RescueCheckpoint.Saved> saved = RescueCheckpoint.save(run.finalState(), cfg.checkpoint().dir(),
                run.lastCheckpoint(), conf, problems);
        String kept = saved.map(s -> "; the trained parameters (iteration " + run.finalState().iteration()
                + ") are kept in " + s.file() + ": fix the cause and rerun with resume=true"
                + (s.dir().equals(cfg.checkpoint().dir()) ? "" : " checkpoint.dir=" + s.dir())
                + " to write the model without training again")
                .orElse("; the trained parameters could not be kept either: " + problems);
        return new FailedFinalWrite("cannot write the results in " + dir + ": " + describe(cause) + kept, cause);
    }

    /** The cause with its path: a FileSystemException's message already names the file. */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof FileSystemException f) {
                String reason = f.getReason() == null ? c.getClass().getSimpleName() : f.getReason();
                return f.getOtherFile() == null ? f.getFile() + ": " + reason
                        : "moving " + f.getFile() + " to " + f.getOtherFile() + ": " + reason;
            }
        }
        String m = t.getMessage();
        return t.getClass() == java.io.IOException.class && m != null ? m
                : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
