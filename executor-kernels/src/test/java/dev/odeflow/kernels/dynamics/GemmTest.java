package dev.odeflow.kernels.dynamics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD products against the scalar loops, on shapes that exercise every tail. */
class GemmTest {

    @Test
    void simdKernelsAreActiveInTheTestJvm() {
        assertTrue(Gemm.vectorized(), "Surefire runs with --add-modules=jdk.incubator.vector; the SIMD path must be on");
    }

    @Test
    void productsMatchScalarLoops() {
        Random rng = new Random(3);
        int[][] shapes = {{1, 1, 1}, {3, 2, 64}, {301, 64, 64}, {7, 64, 2}, {5, 3, 17}, {2, 17, 5}, {10, 9, 33}};
        for (int[] sh : shapes) {
            int rows = sh[0];
            int k = sh[1];
            int n = sh[2];
            double[] x = gaussian(rng, rows * k);
            double[] a = gaussian(rng, k * n);
            double[] g = gaussian(rng, rows * n);
            double[] y = new double[rows * n];
            double[] yRef = new double[rows * n];
            java.util.Arrays.fill(y, Double.NaN);
            Gemm.mul(x, a, y, rows, k, n);
            Gemm.scalarMul(x, a, yRef, rows, k, n);
            double[] acc = gaussian(rng, k * n);
            double[] accRef = acc.clone();
            Gemm.mulAddTransposed(x, g, acc, rows, k, n);
            Gemm.scalarMulAddTransposed(x, g, accRef, rows, k, n);
            for (int i = 0; i < y.length; i++) {
                assertEquals(yRef[i], y[i], 1e-12 * k, "mul " + java.util.Arrays.toString(sh) + " at " + i);
            }
            for (int i = 0; i < acc.length; i++) {
                assertEquals(accRef[i], acc[i], 1e-12 * rows, "mulAddTransposed " + java.util.Arrays.toString(sh));
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
