package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.DataConfig;
import dev.odeflow.driver.conf.SplitSizes;
import dev.odeflow.driver.conf.Splits;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The three splits of a data set, each an RDD with exactly one cached, standardized {@link DataBlock} per
 * partition, plus the standardization and the training rows per partition.
 *
 * @param train           training blocks (persisted)
 * @param val             validation blocks (persisted)
 * @param test            test blocks (persisted)
 * @param standardization the transform applied to all three (identity when off)
 * @param columns         column names (x0, x1 for toys)
 * @param trainRows       training rows per partition
 * @param valRows         validation rows per partition
 * @param source          what was read, for messages
 * @param sizes           rows in each split
 */
public record PreparedData(JavaRDD<DataBlock> train, JavaRDD<DataBlock> val, JavaRDD<DataBlock> test,
                           Standardization standardization, List<String> columns, long[] trainRows, long[] valRows,
                           String source, SplitSizes sizes) {

    /** Data dimension. */
    public int dim() {
        return columns.size();
    }

    public long trainCount() {
        long s = 0;
        for (long r : trainRows) {
            s += r;
        }
        return s;
    }

    /** Releases the cached blocks. */
    public void unpersist() {
        train.unpersist(false);
        val.unpersist(false);
        test.unpersist(false);
    }

    /**
     * Loads, splits, partitions, standardizes and caches the data a configuration names. Every step is a pure
     * function of the configuration and {@code seed}, so two runs (or a resumed one) see identical blocks.
     */
    public static PreparedData load(SparkSession spark, DataConfig cfg, int partitions, long seed) {
        return load(spark, cfg, partitions, seed, null);
    }

    /**
     * As {@link #load(SparkSession, DataConfig, int, long)}, but the table is {@code frame} (when not null)
     * instead of the file {@code cfg} names; {@code cfg} still selects the columns, splits and NaN policy.
     */
    public static PreparedData load(SparkSession spark, DataConfig cfg, int partitions, long seed,
                                    Dataset<Row> frame) {
        return load(spark, cfg, partitions, seed, frame, 1);
    }

    /**
     * As {@link #load(SparkSession, DataConfig, int, long, Dataset)}, checking before anything is standardized
     * or trained that every split with a fraction above 0 has rows and that the training split has at least
     * {@code batchSize} rows ({@link SplitSizes#check}).
     */
    public static PreparedData load(SparkSession spark, DataConfig cfg, int partitions, long seed,
                                    Dataset<Row> frame, int batchSize) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int p = partitions > 0 ? partitions : jsc.defaultParallelism();
        Blocks raw;
        List<String> columns;
        JavaRDD<Segment> segments = null;
        if (cfg.isToy()) {
            columns = List.of("x0", "x1");
            raw = splitToy(jsc, cfg.toyName(), cfg.toySamples(), cfg.splits(), p, seed);
        } else {
            jsc.setJobDescription("odeflow data scan");
            TableReader.Table t = frame == null ? TableReader.read(spark, cfg) : TableReader.select(frame, cfg);
            columns = t.columns();
            segments = t.scan().segments();
            raw = TableSplit.cut(segments, t.scan().order(), columns.size(), cfg.splits(), p, seed);
        }
        try {
            SplitSizes sizes = new SplitSizes(sum(raw.rows()[0]), sum(raw.rows()[1]), sum(raw.rows()[2]));
            try {
                sizes.check(cfg.splits(), batchSize, cfg.describe());
            } catch (IllegalArgumentException e) {
                throw new DataException(e.getMessage(), e);
            }
            int d = columns.size();
            Standardization std = Standardization.identity(d);
            List<JavaRDD<DataBlock>> blocks = raw.splits();
            if (cfg.standardize()) {
                jsc.setJobDescription("odeflow standardization statistics");
                std = Standardization.checked(moments(blocks.get(0), d), columns, cfg.describe());
                Standardization s = std;
                blocks = blocks.stream().map(r -> r.map(s::apply)).toList();
            }
            jsc.setJobDescription("odeflow data blocks");
            blocks.forEach(r -> r.persist(StorageLevel.MEMORY_AND_DISK()));
            long made = jsc.union(blocks.get(0), blocks.get(1), blocks.get(2)).count();
            if (made != 3L * p) {
                throw new IllegalStateException("expected one block per partition, got " + made + " blocks in "
                        + 3 * p + " partitions");
            }
            return new PreparedData(blocks.get(0), blocks.get(1), blocks.get(2), std, columns, raw.rows()[0],
                    raw.rows()[1], cfg.describe(), sizes);
        } finally {
            if (segments != null) {
                segments.unpersist(false); // the blocks are cached now (or preparation failed)
            }
        }
    }

    /**
     * The three splits' blocks, one per partition each, before standardization.
     *
     * @param splits train, validation and test blocks
     * @param rows   rows of each split's blocks, by partition
     */
    record Blocks(List<JavaRDD<DataBlock>> splits, long[][] rows) {
    }

    /**
     * Column moments of all blocks: one small buffer per partition, merged on the driver in partition order so
     * that the statistics (and so the standardized data) are bitwise the same in every run.
     */
    public static ColumnMoments moments(JavaRDD<DataBlock> blocks, int d) {
        List<ColumnMoments> parts = blocks.mapPartitions(it -> {
            ColumnMoments m = new ColumnMoments(d);
            it.forEachRemaining(m::add);
            return List.of(m).iterator();
        }).collect();
        ColumnMoments total = new ColumnMoments(d);
        for (ColumnMoments m : parts) {
            total.merge(m);
        }
        return total;
    }

    private static long sum(long[] rows) {
        long s = 0;
        for (long r : rows) {
            s += r;
        }
        return s;
    }

    /**
     * A toy set's rows, shuffled by a seeded permutation, cut into the splits and then into p contiguous blocks
     * each. Each block is made by its own task, which regenerates the set (a pure function of the seed): so a task
     * carries a partition number, not its rows, also on every later pass over the cached blocks (a block
     * parallelized from the driver would travel with every task of every iteration).
     */
    static Blocks splitToy(JavaSparkContext jsc, String name, int n, Splits splits, int p, long seed) {
        int[] bounds = bounds(n, splits);
        List<JavaRDD<DataBlock>> out = new ArrayList<>();
        long[][] rows = new long[3][p];
        List<Integer> parts = java.util.stream.IntStream.range(0, p).boxed().toList();
        for (int s = 0; s < 3; s++) {
            int from = bounds[s];
            int count = bounds[s + 1] - from;
            for (int k = 0; k < p; k++) {
                rows[s][k] = blockStart(count, k + 1, p) - blockStart(count, k, p);
            }
            out.add(jsc.parallelize(parts, p).map(k -> toyBlock(name, n, seed, from, count, k, p)));
        }
        return new Blocks(out, rows);
    }

    /** Block k of p of the shuffled rows [from, from + count) of toy set {@code name}. */
    static DataBlock toyBlock(String name, int n, long seed, int from, int count, int k, int p) {
        int d = 2;
        double[] x = ToyData.generate(name, n, Seeds.derive(seed, Seeds.DATA));
        int[] perm = permutation(n, seed);
        int lo = blockStart(count, k, p);
        int hi = blockStart(count, k + 1, p);
        double[] values = new double[(hi - lo) * d];
        for (int i = lo; i < hi; i++) {
            System.arraycopy(x, perm[from + i] * d, values, (i - lo) * d, d);
        }
        return new DataBlock(hi - lo, d, values);
    }

    /** Where block k of p of {@code count} rows starts (block p: the end). */
    private static int blockStart(int count, int k, int p) {
        return (int) ((long) count * k / p);
    }

    /** The row permutation of the split: a seeded Fisher–Yates shuffle. */
    private static int[] permutation(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.SPLIT));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** Where train, validation and test start in the shuffled rows, and the end. */
    private static int[] bounds(int n, Splits splits) {
        int nTrain = (int) Math.round(n * splits.train());
        int nVal = Math.min(n - nTrain, (int) Math.round(n * splits.val()));
        return new int[]{0, nTrain, nTrain + nVal, n};
    }
}
