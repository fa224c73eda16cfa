package dev.odeflow.driver;

import dev.odeflow.driver.conf.NonFiniteMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The check on a run's final metrics (a CNF's validation and test NLL, a trajectory fit's RMSE): a NaN or infinite value of a split that has rows means the
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

    /**
     * One final metric.
     *
     * @param what  e.g. "validation NLL"
     * @param value its value
     * @param count what it is over, in {@code unit}s (0: the split is empty and the value NaN by definition)
     * @param unit  rows, series
     */
    public record Value(String what, double value, long count, String unit) {
    }

    /** A CNF's final validation and test NLL over their rows. */
    public static void check(double valNll, long valRows, double testNll, long testRows, NonFiniteMetrics policy,
                             String source, Consumer<String> console) {
        check(List.of(new Value("validation NLL", valNll, valRows, "rows"), new Value("test NLL", testNll, testRows,
                "rows")), policy, source, console);
    }

    /** Any final metrics. */
    public static void check(List<Value> values, NonFiniteMetrics policy, String source, Consumer<String> console) {
        List<String> bad = new ArrayList<>();
        for (Value v : values) {
            if (v.count() > 0 && !Double.isFinite(v.value())) {
                bad.add(v.what() + " is " + v.value() + " (" + v.count() + " " + v.unit() + ")");
            }
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
