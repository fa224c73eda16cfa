package dev.odeflow.driver.checkpoint;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Keeps a finished run's parameters when writing its results fails (a full disk, a read-only directory): the
 * final state goes into the run's checkpoint directory (unless its newest checkpoint already holds it), or, if
 * that fails too, into a fresh directory under {@code java.io.tmpdir}. A rerun with {@code resume=true} (and
 * {@code checkpoint.dir} set to where it landed) then writes the results without training again.
 */
public final class RescueCheckpoint {

    private RescueCheckpoint() {
    }

    /**
     * Where the parameters were kept.
     *
     * @param file    the checkpoint file
     * @param dir     its directory (for {@code checkpoint.dir})
     * @param written whether this call wrote it (false: the run's own last checkpoint already held them)
     */
    public record Saved(String file, String dir, boolean written) {
    }

    /**
     * Saves {@code finalState} unless {@code lastCheckpoint} names the checkpoint of its iteration. Returns empty
     * only if no location could be written; {@code problems} then says why.
     */
    public static Optional<Saved> save(Checkpoint finalState, String checkpointDir, Optional<String> lastCheckpoint,
                                       Configuration conf, StringBuilder problems) {
        if (checkpointDir != null) {
            CheckpointStore store = new CheckpointStore(checkpointDir, conf, Integer.MAX_VALUE);
            String own = store.pathOf(finalState.iteration()).toString();
            if (lastCheckpoint.isPresent() && lastCheckpoint.get().equals(own)) {
                return Optional.of(new Saved(own, checkpointDir, false));
            }
            try {
                return Optional.of(new Saved(store.write(finalState).toString(), checkpointDir, true));
            } catch (RuntimeException e) {
                problems.append(e.getMessage());
            }
        }
        try {
            String tmp = Files.createTempDirectory("odeflow-rescue-").toString();
            CheckpointStore store = new CheckpointStore(tmp, conf, Integer.MAX_VALUE);
            return Optional.of(new Saved(store.write(finalState).toString(), tmp, true));
        } catch (IOException | RuntimeException e) {
            problems.append(problems.length() > 0 ? "; " : "").append("cannot write a checkpoint in ")
                    .append(System.getProperty("java.io.tmpdir")).append(" either: ").append(e.getMessage());
            return Optional.empty();
        }
    }
}
