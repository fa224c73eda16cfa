package dev.odeflow.driver.checkpoint;

/** A checkpoint file that cannot be trusted: truncated, wrong format, or a checksum mismatch. */
public final class CorruptCheckpointException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String file, String reason) {
        super("corrupted checkpoint " + file + ": " + reason);
    }
}
