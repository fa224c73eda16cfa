package dev.odeflow.jobs.cli;

/** The one-line form of a failure, shared by the CLI's error output and summary.json. */
public final class ErrorMessages {

    private ErrorMessages() {
    }

    /**
     * The innermost meaningful message of a failure (Spark wraps executor errors in several layers), on one
     * line; an unexpected kind of failure (a bug rather than bad input) is prefixed with its class.
     */
    public static String describe(Throwable e) {
        Throwable t = innermost(e);
        String m = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip() + " ...";
        }
        if (expected(t) && !m.isEmpty()) {
            return m;
        }
        return t.getClass().getName() + (m.isEmpty() ? "" : ": " + m);
    }

    /** Whether a failure is bad input, configuration, files or numerics, whose message is the whole story. */
    public static boolean expected(Throwable e) {
        return expectedKind(innermost(e));
    }

    private static Throwable innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof org.apache.spark.SparkException || t.getMessage() == null
                || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean expectedKind(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
                || t instanceof ArithmeticException;
    }
}
