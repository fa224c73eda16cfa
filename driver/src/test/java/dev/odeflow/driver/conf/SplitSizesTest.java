package dev.odeflow.driver.conf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13, finding 4: a toy's split sizes and batch are checked when the configuration is read. */
class SplitSizesTest {

    @Test
    void oneToySampleIsRefusedUpFront() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("data.n=1", "batch_size=1"));
        assertTrue(e.getMessage().contains("data.n") && e.getMessage().contains("toy:8gaussians: the validation split"
                + " is empty (1 rows: 1 train, 0 validation, 0 test with data.splits=0.8,0.1,0.1)"), e.getMessage());
    }

    @Test
    void batchLargerThanTheToyTrainingSplitIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromOverrides("data.n=100", "batch_size=512"));
        assertTrue(e.getMessage().contains("batch_size = '512'")
                && e.getMessage().contains("batch_size=512 is larger than the training split (100 rows: 80 train")
                && e.getMessage().contains("at most 80"), e.getMessage());
    }

    @Test
    void emptySplitsWithFractionZeroAreFine() {
        new SplitSizes(5, 0, 0).check(new Splits(1, 0, 0), 5, "x.csv");
        assertEquals(new SplitSizes(80, 10, 10), SplitSizes.ofToy(100, new Splits(0.8, 0.1, 0.1)));
        assertThrows(IllegalArgumentException.class, () -> new SplitSizes(5, 0, 1).check(new Splits(0.8, 0.1, 0.1),
                1, "x.csv"));
    }

    @Test
    void nonFiniteMetricsKeyIsTyped() {
        assertEquals(NonFiniteMetrics.FAIL, TrainConfig.fromOverrides().nonFiniteMetrics());
        assertEquals(NonFiniteMetrics.ACCEPT, TrainConfig.fromOverrides("eval.nonfinite=accept").nonFiniteMetrics());
        assertThrows(ConfigException.class, () -> TrainConfig.fromOverrides("eval.nonfinite=maybe"));
    }
}
