package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.ToySet;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyDataTest {

    @Test
    void everyKindIsDeterministicFiniteAndSeedDependent() {
        for (ToySet k : ToySet.values()) {
            double[] a = ToyData.generate(k, 501, 7);
            double[] b = ToyData.generate(k.label(), 501, 7);
            double[] c = ToyData.generate(k, 501, 8);
            assertEquals(1002, a.length, k.label());
            assertArrayEquals(a, b, k.label());
            assertFalse(Arrays.equals(a, c), k.label() + " ignores the seed");
            assertTrue(Arrays.stream(a).allMatch(Double::isFinite), k.label());
        }
    }

    @Test
    void eightGaussiansClusterAroundScaledCentres() {
        int n = 8000;
        double[] x = ToyData.generate("8gaussians", n, 1);
        int[] counts = new int[8];
        double r = 1 / Math.sqrt(2);
        double[][] c = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}};
        double sq = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bd = Double.MAX_VALUE;
            for (int k = 0; k < 8; k++) {
                double dx = x[2 * i] - 4 * c[k][0] / 1.414;
                double dy = x[2 * i + 1] - 4 * c[k][1] / 1.414;
                double dd = dx * dx + dy * dy;
                if (dd < bd) {
                    bd = dd;
                    best = k;
                }
            }
            counts[best]++;
            sq += bd;
        }
        // per-axis std of the noise is 0.5 / 1.414
        double std = Math.sqrt(sq / (2 * n));
        assertEquals(0.5 / 1.414, std, 0.02);
        for (int k = 0; k < 8; k++) {
            assertEquals(n / 8.0, counts[k], 150, "cluster " + k);
        }
    }

    @Test
    void circlesAndRingsHaveTheirRadii() {
        double[] x = ToyData.generate("circles", 4000, 3);
        int inner = 0;
        double innerSum = 0;
        double outerSum = 0;
        for (int i = 0; i < 4000; i++) {
            double rad = Math.hypot(x[2 * i], x[2 * i + 1]);
            if (rad < 2.25) {
                inner++;
                innerSum += rad;
            } else {
                outerSum += rad;
            }
        }
        assertEquals(2000, inner, 40);
        assertEquals(1.5, innerSum / inner, 0.05);
        assertEquals(3.0, outerSum / (4000 - inner), 0.05);
        double[] rings = ToyData.generate("rings", 4000, 3);
        for (int i = 0; i < 4000; i++) {
            double rad = Math.hypot(rings[2 * i], rings[2 * i + 1]);
            double nearest = Math.min(Math.min(Math.abs(rad - 3), Math.abs(rad - 2.25)),
                    Math.min(Math.abs(rad - 1.5), Math.abs(rad - 0.75)));
            assertTrue(nearest < 0.45, "ring radius " + rad);
        }
    }

    @Test
    void checkerboardFillsAlternateSquares() {
        double[] x = ToyData.generate("checkerboard", 5000, 5);
        for (int i = 0; i < 5000; i++) {
            double a = x[2 * i] / 2;
            double b = x[2 * i + 1] / 2;
            assertTrue(a >= -2 && a < 2 && b >= -2 && b < 2, "outside the board: " + a + "," + b);
            long parity = Math.floorMod((long) Math.floor(a) + (long) Math.floor(b), 2);
            assertEquals(0, parity, "point in an empty square: " + a + "," + b);
        }
    }

    @Test
    void moonsMatchScikitLearnShape() {
        double[] x = ToyData.generate("moons", 4000, 9);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < 4000; i++) {
            mx += x[2 * i];
            my += x[2 * i + 1];
        }
        // make_moons' mean is (0.5, 0.25) before ·2 + (−1, −0.2)
        assertEquals(0.0, mx / 4000, 0.05);
        assertEquals(0.3, my / 4000, 0.05);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToyData.generate("spiral", 1, 0));
        assertTrue(e.getMessage().contains("2spirals"), e.getMessage());
    }
}
