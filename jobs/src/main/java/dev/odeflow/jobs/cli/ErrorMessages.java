package dev.odeflow.jobs.cli;

/** The one-line form of a failure, shared by the CLI's error output and summary.json. */
public final class ErrorMessages {

    private ErrorMessages() {
    }

    /** The innermost meaningful message of a failure (Spark wraps executor errors in several layers). */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof org.apache.spark.SparkException || t.getMessage() == null
                || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
