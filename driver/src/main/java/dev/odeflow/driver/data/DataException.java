package dev.odeflow.driver.data;

/** Unusable input data; the message names the file and, where it applies, the column and row count. */
public final class DataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
