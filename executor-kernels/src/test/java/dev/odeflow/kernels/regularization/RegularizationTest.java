package dev.odeflow.kernels.regularization;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weights' checks, and which integrals a weight switches on. */
class RegularizationTest {

    @Test
    void negativeNanAndInfiniteWeightsAreRefusedByName() {
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new Regularization(bad, 0));
            assertTrue(k.getMessage().contains("l2int") && k.getMessage().contains(">= 0 and finite"), k.getMessage());
            IllegalArgumentException j = assertThrows(IllegalArgumentException.class, () -> new Regularization(0, bad));
            assertTrue(j.getMessage().contains("JFrobint"), j.getMessage());
        }
    }

    @Test
    void aPositiveWeightSwitchesItsIntegralOn() {
        assertFalse(Regularization.none().active());
        assertFalse(new Regularization(0, 0).kinetic());
        Regularization k = new Regularization(0.01, 0);
        assertTrue(k.kinetic() && !k.jacobian() && k.active());
        Regularization j = new Regularization(0, 0.05);
        assertTrue(!j.kinetic() && j.jacobian() && j.active());
    }
}
