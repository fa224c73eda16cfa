package dev.odeflow.jobs.model;

import java.io.IOException;

/** A model directory or safetensors file that cannot be read: the message names the file and what is wrong. */
public final class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
