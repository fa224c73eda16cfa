package dev.odeflow.kernels.dynamics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActivationTest {

    @Test
    void fastTanhMatchesMathTanh() {
        for (double x = -30; x <= 30; x += 0.001) {
            assertEquals(Math.tanh(x), Activation.tanh(x), 4e-16, "x=" + x);
        }
        assertEquals(1e-300, Activation.tanh(1e-300), 0);
        assertEquals(1.0, Activation.tanh(1e6), 0);
        assertEquals(-1.0, Activation.tanh(-1e6), 0);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativesMatchFiniteDifferences(Activation act) {
        double h = 1e-5;
        for (double x = -4.05; x <= 4; x += 0.1) {
            double a = act.value(x);
            double d1 = (act.value(x + h) - act.value(x - h)) / (2 * h);
            double d2 = (act.d1(x + h) - act.d1(x - h)) / (2 * h);
            assertEquals(d1, act.d1(x, a), 1e-8, act + " d1 at " + x);
            assertEquals(d2, act.d2(x, a), 1e-8, act + " d2 at " + x);
        }
    }
}
