package dev.odeflow.kernels.backend.cuda;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Puts the seed of the random inputs ({@link CudaTestSupport#seedNote()}) into a failing parity test's report:
 * an assertion failure gets it at the front of its message, any other exception as a suppressed note.
 * Skips (assumptions) pass through untouched.
 */
final class SeedReporter implements TestExecutionExceptionHandler {

    /** Carries the seed note beside an exception that is not an assertion failure. */
    static final class SeedNote extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SeedNote(String note) {
            super(note, null, false, false);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TestAbortedException) {
            throw thrown;
        }
        String note = CudaTestSupport.seedNote();
        if (thrown instanceof AssertionError) {
            AssertionFailedError withSeed = new AssertionFailedError(note + " " + thrown.getMessage(), thrown);
            withSeed.setStackTrace(thrown.getStackTrace());
            throw withSeed;
        }
        thrown.addSuppressed(new SeedNote(note));
        throw thrown;
    }
}
