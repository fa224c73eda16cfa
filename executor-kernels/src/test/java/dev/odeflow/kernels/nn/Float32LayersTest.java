package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.Precision;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 products of {@link Conv2d} and {@link Linear} against their float64 twins: the forward, ∂L/∂θ, ∂L/∂x
 * and ∂L/∂t agree to float accuracy (relative to each array's largest entry, products of up to a few hundred terms),
 * and differ from them (so the float path ran); a second reverse of the same forward repeats the first.
 */
class Float32LayersTest {

    /** Float rounding (2^-24 ≈ 6e-8) over sums of a few hundred terms, relative to the array's scale. */
    private static final double TOLERANCE = 2e-6;

    @Test
    void convolutionsAgreeWithDoubleToFloatAccuracy() {
        MapShape s = new MapShape(9, 8, 5);
        assertTwins(new Conv2d("c", s, 6, 3, 1, 1, true, true, Precision.FLOAT64),
                new Conv2d("c", s, 6, 3, 1, 1, true, true, Precision.FLOAT32), 3, 1);
        assertTwins(new Conv2d("c", s, 7, 4, 2, 1, true, false, Precision.FLOAT64),
                new Conv2d("c", s, 7, 4, 2, 1, true, false, Precision.FLOAT32), 2, 2);
        assertTwins(new Conv2d("c", s, 4, 3, 1, 0, false, false, Precision.FLOAT64),
                new Conv2d("c", s, 4, 3, 1, 0, false, false, Precision.FLOAT32), 2, 3);
        assertTwins(new Conv2d("c", s, 3, 1, 1, 0, true, false, Precision.FLOAT64),
                new Conv2d("c", s, 3, 1, 1, 0, true, false, Precision.FLOAT32), 4, 4);
    }

    @Test
    void linearLayersAgreeWithDoubleToFloatAccuracy() {
        assertTwins(new Linear("fc", MapShape.vector(300), 10, Precision.FLOAT64),
                new Linear("fc", MapShape.vector(300), 10, Precision.FLOAT32), 5, 5);
        assertTwins(new Linear("fc", new MapShape(28, 28, 1), 37, Precision.FLOAT64),
                new Linear("fc", new MapShape(28, 28, 1), 37, Precision.FLOAT32), 3, 6);
    }

    @Test
    void defaultConstructorsAreDouble() {
        assertEquals(Precision.FLOAT64, new Conv2d("c", new MapShape(4, 4, 1), 2, 3, 1, 1, true, false).precision());
        assertTrue(new Conv2d("c", new MapShape(4, 4, 1), 2, 3, 1, 1, true, false, Precision.FLOAT32).toString()
                .endsWith("float32"));
    }

    private static void assertTwins(Layer wide, Layer narrow, int n, long seed) {
        assertEquals(wide.layout(), narrow.layout(), "the precision does not change the tensors");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = LayerGradientCheck.parameters(wide, rng);
        double[] x = LayerGradientCheck.uniform(n * wide.in().size(), rng);
        double[] dOut = LayerGradientCheck.uniform(n * wide.out().size(), rng);
        double t = 0.37;

        Layer.Pass p64 = wide.pass(theta, 0, n);
        Layer.Pass p32 = narrow.pass(theta, 0, n);
        double[] y64 = p64.forward(x, t).clone();
        double[] y32 = p32.forward(x, t).clone();
        assertClose(y64, y32, "forward");

        double[] g64 = new double[theta.length];
        double[] g32 = new double[theta.length];
        double[] dx64 = p64.backward(dOut.clone(), g64, 0).clone();
        double[] dx32 = p32.backward(dOut.clone(), g32, 0).clone();
        assertClose(g64, g32, "∂L/∂θ");
        assertClose(dx64, dx32, "∂L/∂x");
        assertEquals(p64.timeGradient(), p32.timeGradient(), TOLERANCE * Math.max(1, Math.abs(p64.timeGradient())),
                "∂L/∂t");

        double[] again = new double[theta.length];
        double[] dxAgain = p32.backward(dOut.clone(), again, 0).clone();
        assertArrayEquals(g32, again, 0.0, "a second reverse of the same forward repeats the first");
        assertArrayEquals(dx32, dxAgain, 0.0);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        double worst = 0;
        boolean differs = false;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            differs |= expected[i] != actual[i];
        }
        assertTrue(scale > 0, what + ": nothing to compare");
        assertTrue(worst <= TOLERANCE * scale, what + ": float32 differs from float64 by " + worst + " at scale "
                + scale);
        assertTrue(differs, what + ": float32 gave double's bits: the float path did not run");
        assertFalse(Double.isNaN(worst), what);
    }
}
