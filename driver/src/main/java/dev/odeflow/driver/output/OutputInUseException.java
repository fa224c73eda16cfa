package dev.odeflow.driver.output;

/** Another live run owns the output directory (see {@link RunLock}). */
public final class OutputInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public OutputInUseException(String message) {
        super(message);
    }
}
