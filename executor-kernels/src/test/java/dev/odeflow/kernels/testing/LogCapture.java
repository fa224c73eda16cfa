package dev.odeflow.kernels.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages a test's own logger publishes, for tests that check what a fallback logs. */
public final class LogCapture extends Handler {

    private final List<String> lines = new ArrayList<>();

    /** A logger of this name that publishes only here. */
    public Logger logger(String name) {
        Logger log = Logger.getLogger(name);
        log.setUseParentHandlers(false);
        log.addHandler(this);
        return log;
    }

    /** The messages so far. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
