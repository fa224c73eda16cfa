package dev.odeflow.kernels.dynamics;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD kernels against the scalar fallback (what a plain {@code java -jar} without the vector module
 * runs): every kernel, on shapes that exercise every vector and column tail, must give the same bits.
 */
class GemmTest {

    private static final int[][] SHAPES = {{1, 1, 1}, {3, 2, 64}, {301, 64, 64}, {7, 64, 2}, {5, 3, 17}, {2, 17, 5},
        {10, 9, 33}, {33, 37, 19}, {17, 2, 3}, {150, 300, 100}, {300, 43, 97}, {131, 260, 43}, {257, 129, 65},
        {19, 257, 35}, {96, 860, 43}, {300, 300, 261}, {513, 257, 260}};

    @Test
    void simdKernelsAreActiveInTheTestJvm() {
        assertTrue(Gemm.vectorized(), "Surefire runs with --add-modules=jdk.incubator.vector; the SIMD path must be on");
        assertEquals("simd-" + DoubleVector.SPECIES_PREFERRED.vectorBitSize(), Gemm.kernels());
    }

    @Test
    void productsMatchScalarLoopsBitForBit() {
        Random rng = new Random(3);
        for (int[] sh : SHAPES) {
            int rows = sh[0];
            int k = sh[1];
            int n = sh[2];
            String at = Arrays.toString(sh);
            double[] x = gaussian(rng, rows * k);
            double[] a = gaussian(rng, k * n);
            double[] g = gaussian(rng, rows * n);
            double[] y = new double[rows * n];
            double[] yRef = new double[rows * n];
            Arrays.fill(y, Double.NaN);
            VectorGemm.mul(x, a, y, rows, k, n);
            ScalarGemm.mul(x, a, yRef, rows, k, n);
            assertSameBits("mul " + at, yRef, y);
            double[] acc = gaussian(rng, k * n);
            double[] accRef = acc.clone();
            VectorGemm.mulAddTransposed(x, g, acc, rows, k, n);
            ScalarGemm.mulAddTransposed(x, g, accRef, rows, k, n);
            assertSameBits("mulAddTransposed " + at, accRef, acc);
            double[] naive = new double[rows * n];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < n; o++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        s += x[r * k + j] * a[j * n + o];
                    }
                    naive[r * n + o] = s;
                }
            }
            for (int i = 0; i < y.length; i++) {
                assertEquals(naive[i], y[i], 1e-12 * k, "mul " + at + " is a matrix product");
            }
        }
    }

    @Test
    void rowKernelsMatchScalarLoopsBitForBit() {
        Random rng = new Random(5);
        for (int n : new int[] {1, 2, 3, 5, 8, 13, 16, 64, 67}) {
            int m = 3;
            int rows = m + 1;
            double[] src = gaussian(rng, rows * n);
            for (int i = 0; i < src.length; i += 3) {
                src[i] *= 0.01; // some pre-activations on tanh's Taylor branch
            }
            src[0] = -0.0;
            double[] scale = gaussian(rng, n);
            double[] shift = gaussian(rng, n);
            for (double[] sh : new double[][] {shift, null}) {
                double[] v = new double[rows * n];
                double[] s = new double[rows * n];
                VectorGemm.scaleShift(src, v, n, scale, sh, n);
                ScalarGemm.scaleShift(src, s, n, scale, sh, 0, n);
                assertSameBits("scaleShift n=" + n, s, v);
            }
            double[] act = new double[rows * n];
            double[] actRef = new double[rows * n];
            double[] d1 = new double[n];
            double[] d1Ref = new double[n];
            VectorGemm.tanh(src, 0, act, d1, 0, n);
            ScalarGemm.tanh(src, 0, actRef, d1Ref, 0, 0, n);
            assertSameBits("tanh n=" + n, actRef, act);
            assertSameBits("tanh' n=" + n, d1Ref, d1);
            for (int j = 1; j <= m; j++) {
                VectorGemm.mulRows(d1, 0, src, act, j * n, n);
                ScalarGemm.mulRows(d1Ref, 0, src, actRef, j * n, 0, n);
            }
            assertSameBits("mulRows n=" + n, actRef, act);
            double[] g = gaussian(rng, rows * n);
            double[] sum = gaussian(rng, n);
            double[] dot = gaussian(rng, n);
            double[] sumRef = sum.clone();
            double[] dotRef = dot.clone();
            VectorGemm.accumulate(g, src, n, sum, dot, n);
            ScalarGemm.accumulate(g, src, n, sumRef, dotRef, 0, n);
            VectorGemm.accumulate(g, src, 2 * n, null, dot, n);
            ScalarGemm.accumulate(g, src, 2 * n, null, dotRef, 0, n);
            assertSameBits("accumulate sum n=" + n, sumRef, sum);
            assertSameBits("accumulate dot n=" + n, dotRef, dot);
            double[] gRef = g.clone();
            VectorGemm.tanhBackward(g, src, act, d1, 0, 0, m, n);
            ScalarGemm.tanhBackward(gRef, src, actRef, d1Ref, 0, 0, m, n, 0);
            assertSameBits("tanhBackward n=" + n, gRef, g);
        }
    }

    @Test
    void vectorExpIsTheScalarExpLaneByLane() {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        Random rng = new Random(9);
        double[] special = {0, -0.0, 1e-300, -1e-300, 0.5 * Math.log(2), -0.5 * Math.log(2), 700, 709, 709.5, 1e6,
            -707.9, -708, -745, -1e6, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        double[] x = new double[4096 + special.length + lanes];
        for (int i = 0; i < 4096; i++) {
            x[i] = (rng.nextDouble() - 0.5) * (i < 2048 ? 4 : 1400);
        }
        System.arraycopy(special, 0, x, 4096, special.length);
        for (int i = 0; i + lanes <= x.length; i += lanes) {
            double[] v = new double[lanes];
            VectorGemm.exp(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, x, i)).intoArray(v, 0);
            for (int l = 0; l < lanes; l++) {
                double want = Exp.exp(x[i + l]);
                if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(v[l])) {
                    fail("exp(" + x[i + l] + "): scalar " + want + ", vector " + v[l]);
                }
            }
        }
    }

    @Test
    void expIsAccurateToTwoUlps() {
        Random rng = new Random(10);
        for (int i = 0; i < 200_000; i++) {
            double x = (rng.nextDouble() - 0.5) * 1416;
            double want = StrictMath.exp(x);
            assertTrue(Math.abs(Exp.exp(x) - want) <= 2 * Math.ulp(want), "exp(" + x + ") = " + Exp.exp(x)
                    + ", StrictMath " + want);
        }
        assertEquals(1.0, Exp.exp(0), 0);
        assertTrue(Double.isNaN(Exp.exp(Double.NaN)));
        assertEquals(StrictMath.exp(-708), Exp.exp(-1e9), 2 * Math.ulp(StrictMath.exp(-708)));
    }

    private static void assertSameBits(String what, double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + " at " + i + ": scalar " + expected[i] + ", SIMD " + actual[i]);
            }
        }
    }

    private static double[] gaussian(Random rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
