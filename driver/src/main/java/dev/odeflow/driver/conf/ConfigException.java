package dev.odeflow.driver.conf;

/** A job configuration problem; the message names the file and line (or the command-line override). */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
