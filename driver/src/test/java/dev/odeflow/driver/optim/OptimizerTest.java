package dev.odeflow.driver.optim;

import dev.odeflow.driver.conf.OptimizerConfig;
import dev.odeflow.driver.conf.OptimizerKind;
import dev.odeflow.driver.conf.ScheduleKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptimizerTest {

    @Test
    void adamMatchesHandComputedSteps() {
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0.01);
        double[] w = {1.0, -2.0};
        OptimizerState s = adam.initialState(2);
        // step 1, g = (0.5, 0.1); with weight decay: g' = g + 0.01 w = (0.51, 0.08)
        s = adam.update(w, new double[] {0.5, 0.1}, 0.1, s);
        double m0 = 0.1 * 0.51;
        double v0 = 0.001 * 0.51 * 0.51;
        double w0 = 1.0 - (0.1 / 0.1) * m0 / (Math.sqrt(v0) / Math.sqrt(0.001) + 1e-8);
        assertEquals(w0, w[0], 1e-15);
        // the first Adam step moves each weight by about lr against the gradient's sign
        assertEquals(-2.0 - 0.1, w[1], 1e-6);
        // step 2, g = (-0.2, 0.1)
        double g2 = -0.2 + 0.01 * w[0];
        s = adam.update(w, new double[] {-0.2, 0.1}, 0.1, s);
        double m1 = 0.9 * m0 + 0.1 * g2;
        double v1 = 0.999 * v0 + 0.001 * g2 * g2;
        double bc1 = 1 - 0.9 * 0.9;
        double bc2 = 1 - 0.999 * 0.999;
        double w1 = w0 - (0.1 / bc1) * m1 / (Math.sqrt(v1) / Math.sqrt(bc2) + 1e-8);
        assertEquals(w1, w[0], 1e-15);
        assertEquals(2, s.step());
        assertEquals(m1, s.slot(0)[0], 1e-15);
        assertEquals(v1, s.slot(1)[0], 1e-15);
    }

    @Test
    void sgdMomentumMatchesTorch() {
        Sgd sgd = new Sgd(0.9, 0.0);
        double[] w = {1.0};
        OptimizerState s = sgd.initialState(1);
        s = sgd.update(w, new double[] {2.0}, 0.1, s);   // b = 2
        assertEquals(1.0 - 0.2, w[0], 1e-15);
        s = sgd.update(w, new double[] {1.0}, 0.1, s);   // b = 0.9*2 + 1 = 2.8
        assertEquals(0.8 - 0.28, w[0], 1e-15);
        assertEquals(2.8, s.slot(0)[0], 1e-15);
        Sgd plain = new Sgd(0, 0.5);
        double[] v = {2.0};
        plain.update(v, new double[] {1.0}, 0.1, plain.initialState(1)); // g = 1 + 0.5*2 = 2
        assertEquals(1.8, v[0], 1e-15);
    }

    @Test
    void stateIsCheckedAndImmutable() {
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0);
        OptimizerState s = adam.initialState(2);
        double[][] slots = s.slots();
        slots[0][0] = 5;
        assertEquals(0, s.slot(0)[0]);
        assertThrows(IllegalArgumentException.class,
                () -> adam.update(new double[2], new double[2], 0.1, new Sgd(0.9, 0).initialState(2)));
        assertThrows(IllegalArgumentException.class, () -> adam.update(new double[3], new double[3], 0.1, s));
        assertInstanceOf(Adam.class, Optimizer.of(OptimizerConfig.adamDefaults()));
    }

    @Test
    void clippingByGlobalNorm() {
        double[] g = {3, 4};
        double n = GradientClipping.clipInPlace(g, 1.0);
        assertEquals(5, n, 1e-15);
        assertArrayEquals(new double[] {3 / (5 + 1e-6), 4 / (5 + 1e-6)}, g, 1e-15);
        double[] h = {0.3, 0.4};
        GradientClipping.clipInPlace(h, 1.0);
        assertArrayEquals(new double[] {0.3, 0.4}, h, 0);
        double[] k = {30, 40};
        GradientClipping.clipInPlace(k, 0);
        assertArrayEquals(new double[] {30, 40}, k, 0);
    }

    @Test
    void scheduleValues() {
        LearningRateSchedule none = new LearningRateSchedule(ScheduleKind.NONE, 0.1, 0, 0, 10, 0.5, 100);
        assertEquals(0.1, none.lr(0));
        assertEquals(0.1, none.lr(99));
        LearningRateSchedule step = new LearningRateSchedule(ScheduleKind.STEP, 0.1, 0, 0, 10, 0.5, 100);
        assertEquals(0.1, step.lr(9));
        assertEquals(0.05, step.lr(10));
        assertEquals(0.025, step.lr(25), 1e-15);
        LearningRateSchedule cos = new LearningRateSchedule(ScheduleKind.COSINE, 0.1, 0, 0.01, 10, 0.5, 101);
        assertEquals(0.1, cos.lr(0), 1e-15);
        assertEquals(0.055, cos.lr(50), 1e-12);
        assertEquals(0.01, cos.lr(100), 1e-15);
        LearningRateSchedule warm = new LearningRateSchedule(ScheduleKind.COSINE, 0.1, 4, 0, 10, 0.5, 105);
        assertEquals(0.025, warm.lr(0), 1e-15);
        assertEquals(0.1, warm.lr(3), 1e-15);
        assertEquals(0.1, warm.lr(4), 1e-15);
        assertEquals(0.0, warm.lr(104), 1e-15);
        OptimizerConfig c = new OptimizerConfig(OptimizerKind.SGD, 0.2, 0, 0.9, 0.999, 1e-8, 0.5, 0,
                ScheduleKind.STEP, 0, 0, 3, 0.1);
        assertEquals(0.02, LearningRateSchedule.of(c, 10).lr(3), 1e-15);
    }
}
