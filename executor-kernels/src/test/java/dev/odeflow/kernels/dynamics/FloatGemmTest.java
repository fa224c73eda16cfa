package dev.odeflow.kernels.dynamics;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float SIMD kernels against the float scalar loops, as {@link GemmTest} checks the double ones: every
 * kernel, on shapes that exercise every vector and column tail (16 floats a vector at 512 bits), the same bits.
 */
class FloatGemmTest {

    private static final int[][] SHAPES = {{1, 1, 1}, {3, 2, 64}, {301, 64, 64}, {7, 64, 2}, {5, 3, 17}, {2, 17, 5},
        {10, 9, 33}, {33, 37, 19}, {17, 2, 3}, {150, 300, 100}, {300, 43, 97}, {131, 260, 43}, {257, 129, 65},
        {19, 257, 35}, {6, 31, 129}, {9, 130, 47}, {64, 5, 2}, {96, 860, 43}, {40, 64, 7}, {32, 1, 31}, {300, 300, 261}, {513, 257, 260}};

    @Test
    void productsMatchScalarLoopsBitForBit() {
        Random rng = new Random(3);
        for (int[] sh : SHAPES) {
            int rows = sh[0];
            int k = sh[1];
            int n = sh[2];
            String at = Arrays.toString(sh);
            float[] x = gaussian(rng, rows * k);
            float[] a = gaussian(rng, k * n);
            float[] g = gaussian(rng, rows * n);
            float[] y = new float[rows * n];
            float[] yRef = new float[rows * n];
            Arrays.fill(y, Float.NaN);
            FloatVectorGemm.mul(x, a, y, rows, k, n);
            FloatScalarGemm.mul(x, a, yRef, rows, k, n);
            assertSameBits("mul " + at, yRef, y);
            float[] acc = gaussian(rng, k * n);
            float[] accRef = acc.clone();
            FloatVectorGemm.mulAddTransposed(x, g, acc, rows, k, n);
            FloatScalarGemm.mulAddTransposed(x, g, accRef, rows, k, n);
            assertSameBits("mulAddTransposed " + at, accRef, acc);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < n; o++) {
                    double s = 0;
                    double abs = 0;
                    for (int j = 0; j < k; j++) {
                        s += (double) x[r * k + j] * a[j * n + o];
                        abs += Math.abs((double) x[r * k + j] * a[j * n + o]);
                    }
                    assertEquals(s, y[r * n + o], 1e-6 * abs * k, "mul " + at + " is a matrix product");
                }
            }
        }
    }

    @Test
    void rowKernelsMatchScalarLoopsBitForBit() {
        Random rng = new Random(5);
        for (int n : new int[] {1, 2, 3, 5, 8, 13, 16, 17, 31, 64, 67, 129}) {
            int m = 3;
            int rows = m + 1;
            float[] src = gaussian(rng, rows * n);
            for (int i = 0; i < src.length; i += 3) {
                src[i] *= 0.05f; // some pre-activations on tanh's Taylor branch
            }
            src[0] = -0.0f;
            float[] scale = gaussian(rng, n);
            float[] shift = gaussian(rng, n);
            for (float[] sh : new float[][] {shift, null}) {
                float[] v = new float[rows * n];
                float[] s = new float[rows * n];
                FloatVectorGemm.scaleShift(src, v, n, scale, sh, n);
                FloatScalarGemm.scaleShift(src, s, n, scale, sh, 0, n);
                assertSameBits("scaleShift n=" + n, s, v);
            }
            float[] act = new float[rows * n];
            float[] actRef = new float[rows * n];
            float[] d1 = new float[n];
            float[] d1Ref = new float[n];
            float[] d2 = new float[n];
            float[] d2Ref = new float[n];
            float[] wide = src.clone();
            for (int i = 0; i < n; i++) {
                wide[n + i] *= 12; // softplus far into both tails, and across e^{-|x|} = √2 − 1
            }
            FloatVectorGemm.softplus(wide, n, act, d1, d2, 0, n);
            FloatScalarGemm.softplus(wide, n, actRef, d1Ref, d2Ref, 0, 0, n);
            assertSameBits("softplus n=" + n, actRef, act);
            assertSameBits("softplus' n=" + n, d1Ref, d1);
            assertSameBits("softplus'' n=" + n, d2Ref, d2);
            FloatVectorGemm.tanh(src, 0, act, d1, d2, 0, n);
            FloatScalarGemm.tanh(src, 0, actRef, d1Ref, d2Ref, 0, 0, n);
            assertSameBits("tanh n=" + n, actRef, act);
            assertSameBits("tanh' n=" + n, d1Ref, d1);
            assertSameBits("tanh'' n=" + n, d2Ref, d2);
            for (int j = 1; j <= m; j++) {
                FloatVectorGemm.mulRows(d1, 0, src, act, j * n, n);
                FloatScalarGemm.mulRows(d1Ref, 0, src, actRef, j * n, 0, n);
            }
            assertSameBits("mulRows n=" + n, actRef, act);
            float[] g = gaussian(rng, rows * n);
            float[] sum = gaussian(rng, n);
            float[] dot = gaussian(rng, n);
            float[] sumRef = sum.clone();
            float[] dotRef = dot.clone();
            FloatVectorGemm.accumulate(g, src, n, sum, dot, n);
            FloatScalarGemm.accumulate(g, src, n, sumRef, dotRef, 0, n);
            FloatVectorGemm.accumulate(g, src, 2 * n, null, dot, n);
            FloatScalarGemm.accumulate(g, src, 2 * n, null, dotRef, 0, n);
            assertSameBits("accumulate sum n=" + n, sumRef, sum);
            assertSameBits("accumulate dot n=" + n, dotRef, dot);
            float[] gRef = g.clone();
            FloatVectorGemm.activationBackward(g, src, d1, d2, 0, 0, m, n);
            FloatScalarGemm.activationBackward(gRef, src, d1Ref, d2Ref, 0, 0, m, n, 0);
            assertSameBits("activationBackward n=" + n, gRef, g);
        }
    }

    @Test
    void vectorExpIsTheScalarExpLaneByLane() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        Random rng = new Random(9);
        float[] special = {0, -0.0f, 1e-30f, -1e-30f, 0.5f * (float) Math.log(2), -0.5f * (float) Math.log(2), 80, 88,
            88.5f, 1e6f, -86.9f, -87, -104, -1e6f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] x = new float[4096 + special.length + lanes];
        for (int i = 0; i < 4096; i++) {
            x[i] = (float) ((rng.nextDouble() - 0.5) * (i < 2048 ? 4 : 180));
        }
        System.arraycopy(special, 0, x, 4096, special.length);
        for (int i = 0; i + lanes <= x.length; i += lanes) {
            float[] v = new float[lanes];
            FloatVectorGemm.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(v, 0);
            for (int l = 0; l < lanes; l++) {
                float want = FloatMath.exp(x[i + l]);
                if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(v[l])) {
                    fail("exp(" + x[i + l] + "): scalar " + want + ", vector " + v[l]);
                }
            }
        }
    }

    @Test
    void expSoftplusAndSigmoidAreAccurateToAFewUlpsAndTanhToAFewUlpsOfOne() {
        Random rng = new Random(10);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) ((rng.nextDouble() - 0.5) * 174);
            double want = StrictMath.exp(x);
            assertTrue(Math.abs(FloatMath.exp(x) - want) <= 2 * Math.ulp((float) want), "exp(" + x + ") = "
                    + FloatMath.exp(x) + ", StrictMath " + want);
            float y = (float) ((rng.nextDouble() - 0.5) * (i % 2 == 0 ? 1 : 20));
            double tanh = StrictMath.tanh(y);
            assertTrue(Math.abs(FloatMath.tanh(y) - tanh) <= 4 * Math.ulp(1f), "tanh(" + y + ") = "
                    + FloatMath.tanh(y) + ", StrictMath " + tanh);
        }
        for (int i = 0; i < 200_000; i++) {
            float x = (float) ((rng.nextDouble() - 0.5) * (i % 2 == 0 ? 8 : 174)); // e^{-|x|} above the clamp
            float e = FloatMath.exp(-Math.abs(x));
            double want = Activation.SOFTPLUS.value(x);
            assertTrue(Math.abs(FloatMath.softplus(x, e) - want) <= 4 * Math.ulp((float) want), "softplus(" + x
                    + ") = " + FloatMath.softplus(x, e) + ", double " + want);
            double sigmoid = Activation.sigmoid(x);
            assertTrue(Math.abs(FloatMath.sigmoid(x, e) - sigmoid) <= 4 * Math.ulp((float) sigmoid), "sigmoid(" + x
                    + ") = " + FloatMath.sigmoid(x, e) + ", double " + sigmoid);
        }
        assertEquals(1f, FloatMath.exp(0), 0);
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        assertEquals(1f, FloatMath.tanh(1e6f), 0);
        assertEquals(-1f, FloatMath.tanh(-1e6f), 0);
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + " at " + i + ": scalar " + expected[i] + ", SIMD " + actual[i]);
            }
        }
    }

    private static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
