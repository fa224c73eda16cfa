package dev.odeflow.driver;

import dev.odeflow.driver.conf.NonFiniteMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The check on a run's final validation and test NLL: a NaN or infinite value of a split that has rows means the
 * trained model is unusable, so the run fails ({@code eval.nonfinite=fail}, the default) or says so and goes on
 * ({@code eval.nonfinite=accept}). A split without rows has NaN by definition and is not checked.
 */
public final class FinalMetrics {

    private FinalMetrics() {
    }

    /** Thrown when a final metric is not finite and {@code eval.nonfinite=fail}. */
    public static final class NonFiniteMetricException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NonFiniteMetricException(String message) {
            super(message);
        }
    }

    public static void check(double valNll, long valRows, double testNll, long testRows, NonFiniteMetrics policy,
                             String source, Consumer<String> console) {
        List<String> bad = new ArrayList<>();
        if (valRows > 0 && !Double.isFinite(valNll)) {
            bad.add("validation NLL is " + valNll + " (" + valRows + " rows)");
        }
        if (testRows > 0 && !Double.isFinite(testNll)) {
            bad.add("test NLL is " + testNll + " (" + testRows + " rows)");
        }
        if (bad.isEmpty()) {
            return;
        }
        String what = source + ": the final " + String.join(" and the ", bad);
        if (policy == NonFiniteMetrics.FAIL) {
            throw new NonFiniteMetricException(what + "; the trained model is unusable and is not written (lower"
                    + " optim.lr or the solver tolerances, check the data, or set eval.nonfinite=accept to keep it)");
        }
        console.accept("odeflow warning: " + what + " (kept: eval.nonfinite=accept)");
    }
}
