package dev.odeflow.driver.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MinibatchPlanTest {

    @Test
    void sharesAreProportionalAndSumToTheBatch() {
        MinibatchPlan p = MinibatchPlan.of(new long[] {500, 300, 200}, 100, 1);
        assertEquals(50, p.share(0));
        assertEquals(30, p.share(1));
        assertEquals(20, p.share(2));
        MinibatchPlan q = MinibatchPlan.of(new long[] {334, 333, 333, 0}, 10, 1);
        assertEquals(10, q.globalBatch());
        assertEquals(0, q.share(3));
        assertEquals(4, q.share(0));
        MinibatchPlan r = MinibatchPlan.of(new long[] {7, 7, 7}, 100, 1);
        assertEquals(100, r.globalBatch());
    }

    @Test
    void everyEpochVisitsEveryRowExactlyOnce() {
        long[] rows = {37, 23};
        MinibatchPlan p = MinibatchPlan.of(rows, 10, 42);
        for (int part = 0; part < 2; part++) {
            int n = (int) rows[part];
            int b = p.share(part);
            int[] stream = new int[3 * n + b];
            int filled = 0;
            for (long t = 0; filled < stream.length - b; t++) {
                int[] idx = p.indices(part, t);
                assertEquals(b, idx.length);
                System.arraycopy(idx, 0, stream, filled, Math.min(b, stream.length - filled));
                filled += b;
            }
            int[] previous = null;
            for (int e = 0; e < 3; e++) {
                int[] epoch = Arrays.copyOfRange(stream, e * n, (e + 1) * n);
                int[] sorted = epoch.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < n; i++) {
                    assertEquals(i, sorted[i], "partition " + part + " epoch " + e + " misses or repeats a row");
                }
                if (previous != null) {
                    assertFalse(Arrays.equals(previous, epoch), "epochs are not reshuffled");
                }
                previous = epoch;
            }
        }
    }

    @Test
    void batchesArePureFunctionsOfSeedIterationAndPartition() {
        MinibatchPlan a = MinibatchPlan.of(new long[] {100, 80}, 18, 5);
        MinibatchPlan b = MinibatchPlan.of(new long[] {100, 80}, 18, 5);
        MinibatchPlan c = MinibatchPlan.of(new long[] {100, 80}, 18, 6);
        // b is asked out of order: later iterations first
        int[] late = b.indices(1, 37);
        for (long t = 0; t < 40; t++) {
            assertArrayEquals(a.indices(0, t), b.indices(0, t));
        }
        assertArrayEquals(a.indices(1, 37), late);
        assertFalse(Arrays.equals(a.indices(0, 3), c.indices(0, 3)));
        assertFalse(Arrays.equals(a.indices(0, 3), a.indices(1, 3)));
    }

    @Test
    void batchGathersTheIndexedRows() {
        double[] rows = new double[20];
        for (int i = 0; i < 20; i++) {
            rows[i] = i;
        }
        DataBlock block = new DataBlock(10, 2, rows);
        MinibatchPlan p = MinibatchPlan.of(new long[] {10}, 4, 3);
        int[] idx = p.indices(0, 2);
        double[] x = block.gather(p.indices(block, 0, 2), 0, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(2 * idx[i], x[2 * i]);
            assertEquals(2 * idx[i] + 1, x[2 * i + 1]);
        }
        assertThrows(IllegalStateException.class, () -> p.indices(new DataBlock(9, 2, new double[18]), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> MinibatchPlan.of(new long[] {0, 0}, 4, 3));
    }
}
