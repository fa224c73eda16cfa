package dev.odeflow.driver;

import dev.odeflow.driver.conf.NonFiniteMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13, finding 4: a NaN or infinite final NLL fails the run unless eval.nonfinite=accept. */
class FinalMetricsTest {

    @Test
    void nonFiniteFinalNllFailsTheRun() {
        List<String> lines = new ArrayList<>();
        FinalMetrics.NonFiniteMetricException e = assertThrows(FinalMetrics.NonFiniteMetricException.class,
                () -> FinalMetrics.check(Double.NaN, 10, Double.POSITIVE_INFINITY, 10, NonFiniteMetrics.FAIL,
                        "x.csv", lines::add));
        assertTrue(e.getMessage().startsWith("x.csv: the final validation NLL is NaN (10 rows) and the test NLL is"
                + " Infinity (10 rows)") && e.getMessage().contains("eval.nonfinite=accept"), e.getMessage());
    }

    @Test
    void acceptKeepsTheRunAndSaysSo() {
        List<String> lines = new ArrayList<>();
        FinalMetrics.check(Double.NaN, 10, 1.5, 10, NonFiniteMetrics.ACCEPT, "x.csv", lines::add);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("validation NLL is NaN"), lines.get(0));
    }

    @Test
    void splitsWithoutRowsAreNotChecked() {
        FinalMetrics.check(Double.NaN, 0, Double.NaN, 0, NonFiniteMetrics.FAIL, "x.csv", s -> { });
    }
}
