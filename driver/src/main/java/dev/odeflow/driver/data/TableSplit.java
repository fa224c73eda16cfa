package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.Splits;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Cuts a scanned table into the train, validation and test splits of p dense blocks each, without a shuffle.
 *
 * <p>The table's usable rows are numbered in table order (files by name, rows in file order); row i goes to the
 * split that a hash of (seed, i) picks with the splits' fractions, so the assignment depends on the seed and the
 * rows only: not on how Spark cut the files into partitions, nor on the format (the same rows as CSV or Parquet give
 * the same splits). Each split's rows are cut, in table order, into p contiguous ranges of equal size (±1 row), and
 * the rows of each block are put in a seeded random order. Each block reads only the cached segments that hold its
 * range: a coalesce with its own grouping (a narrow dependency, no shuffle).
 */
final class TableSplit {

    private TableSplit() {
    }

    /** Where a segment's rows fall: its first row's table index, and per split its first rank and row count. */
    private record Placement(long offset, long[] first, long[] count) implements Serializable {
    }

    /** The split of row {@code i}: 0 train, 1 validation, 2 test. */
    static int splitOf(long i, long splitSeed, double[] upper) {
        double u = (Seeds.mix(splitSeed + 0x9E3779B97F4A7C15L * i) >>> 11) * 0x1.0p-53;
        return u < upper[0] ? 0 : u < upper[1] ? 1 : 2;
    }

    /** The upper ends of the train and validation ranges of u in [0, 1) (a split of fraction 0 gets no rows). */
    static double[] upperEnds(Splits s) {
        double inf = Double.POSITIVE_INFINITY;
        return new double[] {s.val() == 0 && s.test() == 0 ? inf : s.train(), s.test() == 0 ? inf
                : s.train() + s.val()};
    }

    /** The three splits' blocks (not persisted: they read {@code segments}, which must stay cached meanwhile). */
    static PreparedData.Blocks cut(JavaRDD<Segment> segments, List<Segment> order, int d, Splits splits, int p,
                                   long seed) {
        long splitSeed = Seeds.derive(seed, Seeds.SPLIT);
        double[] upper = upperEnds(splits);
        long[] total = new long[3];
        Map<Segment.Key, Placement> at = new HashMap<>();
        long offset = 0;
        for (Segment g : order) {
            long[] first = total.clone();
            for (int i = 0; i < g.kept; i++) {
                total[splitOf(offset + i, splitSeed, upper)]++;
            }
            long[] count = new long[3];
            for (int s = 0; s < 3; s++) {
                count[s] = total[s] - first[s];
            }
            at.put(g.key, new Placement(offset, first, count));
            offset += g.kept;
        }
        List<JavaRDD<DataBlock>> blocks = new ArrayList<>();
        long[][] rows = new long[3][p];
        for (int s = 0; s < 3; s++) {
            long[] bounds = new long[p + 1];
            int[][] parents = new int[p][];
            for (int k = 0; k <= p; k++) {
                bounds[k] = total[s] * k / p;
            }
            for (int k = 0; k < p; k++) {
                rows[s][k] = bounds[k + 1] - bounds[k];
                if (rows[s][k] * d > Integer.MAX_VALUE - 8) {
                    throw new DataException("a block of " + rows[s][k] + " rows is too large; use more partitions");
                }
                TreeSet<Integer> in = new TreeSet<>();
                for (Segment g : order) {
                    Placement pl = at.get(g.key);
                    if (overlaps(pl, s, bounds[k], bounds[k + 1])) {
                        in.add(g.partition);
                    }
                }
                parents[k] = in.stream().mapToInt(Integer::intValue).toArray();
            }
            int split = s;
            RDD<Segment> grouped = segments.rdd().coalesce(p, false, Option.apply(new Groups(parents)), null);
            blocks.add(grouped.toJavaRDD().mapPartitionsWithIndex((k, it) -> List.of(block(it, at, split, bounds[k],
                    bounds[k + 1], d, splitSeed, upper, Seeds.derive(seed, Seeds.SPLIT, split, k))).iterator(), true));
        }
        return new PreparedData.Blocks(blocks, rows);
    }

    private static boolean overlaps(Placement pl, int s, long lo, long hi) {
        return pl.count()[s] > 0 && pl.first()[s] < hi && pl.first()[s] + pl.count()[s] > lo;
    }

    /** Split {@code s}'s rows of ranks [lo, hi) from the segments that hold them, in a seeded random order. */
    private static DataBlock block(Iterator<Segment> it, Map<Segment.Key, Placement> at, int s, long lo, long hi,
                                   int d, long splitSeed, double[] upper, long orderSeed) {
        int n = (int) (hi - lo);
        double[] x = new double[n * d];
        while (it.hasNext()) {
            Segment g = it.next();
            Placement pl = at.get(g.key);
            if (!overlaps(pl, s, lo, hi)) {
                continue;
            }
            double[] v = g.values();
            long rank = pl.first()[s];
            for (int i = 0; i < g.kept && rank < hi; i++) {
                if (splitOf(pl.offset() + i, splitSeed, upper) == s) {
                    if (rank >= lo) {
                        System.arraycopy(v, i * d, x, (int) (rank - lo) * d, d);
                    }
                    rank++;
                }
            }
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(orderSeed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return new DataBlock(n, d, new DataBlock(n, d, x).gather(perm, 0, n));
    }

    /** Block k reads the parent partitions {@code parents[k]} (a partition may feed two neighbouring blocks). */
    private record Groups(int[][] parents) implements PartitionCoalescer, Serializable {

        @Override
        public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
            PartitionGroup[] out = new PartitionGroup[parents.length];
            for (int k = 0; k < parents.length; k++) {
                out[k] = new PartitionGroup(Option.empty());
                for (int i : parents[k]) {
                    out[k].partitions().addOne(parent.partitions()[i]);
                }
            }
            return out;
        }
    }
}
