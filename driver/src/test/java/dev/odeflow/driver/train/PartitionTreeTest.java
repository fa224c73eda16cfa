package dev.odeflow.driver.train;

import dev.odeflow.kernels.model.LossGradient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartitionTreeTest {

    private static LossGradient leaf(int p, int dim) {
        SplittableRandom r = new SplittableRandom(p);
        double[] g = new double[dim];
        for (int i = 0; i < dim; i++) {
            g[i] = r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6);
        }
        LossGradient lg = new LossGradient(dim);
        lg.add(r.nextGaussian() * 1e3, g, p + 1, 10L * p, 20L * p, p, 1);
        return lg;
    }

    @Test
    void sumIsBitwiseIndependentOfMergeOrder() {
        for (int partitions : new int[] {1, 2, 3, 5, 8, 13}) {
            LossGradient reference = null;
            for (int trial = 0; trial < 20; trial++) {
                List<Integer> order = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    order.add(p);
                }
                Collections.shuffle(order, new Random(trial));
                // random grouping: each leaf goes to one of a few buffers, merged in random order
                List<PartitionTree> buffers = new ArrayList<>();
                Random r = new Random(trial * 31L);
                int groups = 1 + r.nextInt(3);
                for (int k = 0; k < groups; k++) {
                    buffers.add(new PartitionTree(partitions));
                }
                for (int p : order) {
                    buffers.get(r.nextInt(groups)).addLeaf(p, leaf(p, 17));
                }
                Collections.shuffle(buffers, r);
                PartitionTree all = new PartitionTree(partitions);
                for (PartitionTree b : buffers) {
                    all.merge(b);
                }
                LossGradient total = all.total();
                if (reference == null) {
                    reference = total;
                    long count = 0;
                    for (int p = 0; p < partitions; p++) {
                        count += p + 1;
                    }
                    assertEquals(count, total.count());
                } else {
                    assertArrayEquals(reference.gradient(), total.gradient(), 0.0, "partitions " + partitions);
                    assertEquals(reference.lossSum(), total.lossSum(), 0.0);
                    assertEquals(reference.nfeForward(), total.nfeForward());
                }
            }
        }
    }

    @Test
    void missingOrDuplicatePartitionsAreErrors() {
        PartitionTree t = new PartitionTree(3);
        t.addLeaf(0, leaf(0, 2)).addLeaf(2, leaf(2, 2));
        assertThrows(IllegalStateException.class, t::total);
        assertThrows(IllegalStateException.class, () -> t.addLeaf(2, leaf(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> t.addLeaf(3, leaf(3, 2)));
    }
}
