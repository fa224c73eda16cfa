package dev.odeflow.driver.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StandardizationTest {

    @Test
    void momentsMergeLikeOnePassAndStandardize() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 1000;
        double[] x = new double[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = 1000 + 3 * r.nextGaussian();
            x[2 * i + 1] = -2 + 0.5 * r.nextGaussian();
        }
        ColumnMoments whole = new ColumnMoments(2).add(new DataBlock(n, 2, x));
        double[] a = java.util.Arrays.copyOfRange(x, 0, 700);
        double[] b = java.util.Arrays.copyOfRange(x, 700, 2 * n);
        ColumnMoments merged = new ColumnMoments(2).add(new DataBlock(350, 2, a))
                .merge(new ColumnMoments(2).add(new DataBlock(650, 2, b)));
        assertEquals(n, merged.count());
        assertArrayEquals(whole.mean(), merged.mean(), 1e-9);
        assertArrayEquals(whole.variance(), merged.variance(), 1e-9);

        double mx = 0;
        double sx = 0;
        for (int i = 0; i < n; i++) {
            mx += x[2 * i];
        }
        mx /= n;
        for (int i = 0; i < n; i++) {
            sx += (x[2 * i] - mx) * (x[2 * i] - mx);
        }
        Standardization s = Standardization.of(merged);
        assertEquals(mx, s.mean()[0], 1e-9);
        assertEquals(Math.sqrt(sx / n), s.std()[0], 1e-9);
        double[] z = s.apply(x);
        ColumnMoments zm = new ColumnMoments(2).add(new DataBlock(n, 2, z));
        assertArrayEquals(new double[] {0, 0}, zm.mean(), 1e-9);
        assertArrayEquals(new double[] {1, 1}, zm.variance(), 1e-9);
        assertArrayEquals(x, s.invert(z), 1e-9);
        assertEquals(-Math.log(s.std()[0]) - Math.log(s.std()[1]), s.logDetJacobian(), 1e-12);
    }

    @Test
    void constantColumnKeepsUnitStd() {
        ColumnMoments m = new ColumnMoments(1).add(new DataBlock(3, 1, new double[] {5, 5, 5}));
        Standardization s = Standardization.of(m);
        assertEquals(5, s.mean()[0]);
        assertEquals(1, s.std()[0]);
    }
}
