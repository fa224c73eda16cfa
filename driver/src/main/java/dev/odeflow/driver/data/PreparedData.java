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
import java.util.Iterator;
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
        List<JavaRDD<DataBlock>> raw;
        List<String> columns;
        Dataset<Row> table = null;
        if (cfg.isToy()) {
            double[] x = ToyData.generate(cfg.toyName(), cfg.toySamples(), Seeds.derive(seed, Seeds.DATA));
            columns = List.of("x0", "x1");
            raw = splitLocal(jsc, x, cfg.toySamples(), 2, cfg.splits(), p, seed);
        } else {
            TableReader.Table t = frame == null ? TableReader.read(spark, cfg) : TableReader.select(frame, cfg);
            columns = t.columns();
            // Read once: each split's randomSplit would otherwise read (and sort) the whole source again.
            table = t.rows().persist(StorageLevel.MEMORY_AND_DISK());
            raw = splitTable(table, columns.size(), cfg.splits(), p, seed);
        }
        for (JavaRDD<DataBlock> r : raw) {
            r.persist(StorageLevel.MEMORY_AND_DISK());
        }
        long[] trainRows = rowsPerPartition(raw.get(0));
        long[] valRows = rowsPerPartition(raw.get(1));
        SplitSizes sizes = new SplitSizes(sum(trainRows), sum(valRows), sum(rowsPerPartition(raw.get(2))));
        if (table != null) {
            table.unpersist(false); // the three splits' blocks are cached now
        }
        try {
            sizes.check(cfg.splits(), batchSize, cfg.describe());
        } catch (IllegalArgumentException e) {
            raw.forEach(r -> r.unpersist(false));
            throw new DataException(e.getMessage(), e);
        }
        int d = columns.size();
        Standardization std = Standardization.identity(d);
        if (cfg.standardize()) {
            jsc.setJobDescription("odeflow standardization statistics");
            std = Standardization.checked(moments(raw.get(0), d), columns, cfg.describe());
            Standardization s = std;
            List<JavaRDD<DataBlock>> standardized = new ArrayList<>();
            for (JavaRDD<DataBlock> r : raw) {
                JavaRDD<DataBlock> z = r.map(s::apply);
                z.persist(StorageLevel.MEMORY_AND_DISK());
                z.count();
                r.unpersist(false);
                standardized.add(z);
            }
            raw = standardized;
        }
        return new PreparedData(raw.get(0), raw.get(1), raw.get(2), std, columns, trainRows, valRows,
                cfg.describe(), sizes);
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

    /** Rows of each partition's block (also materializes the cache). */
    public static long[] rowsPerPartition(JavaRDD<DataBlock> blocks) {
        List<Long> n = blocks.map(b -> (long) b.n()).collect();
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i);
        }
        if (out.length != blocks.getNumPartitions()) {
            throw new IllegalStateException("expected one block per partition, got " + out.length + " blocks in "
                    + blocks.getNumPartitions() + " partitions");
        }
        return out;
    }

    /** Seeded shuffle of rows held on the driver, cut into the splits and then into p contiguous blocks each. */
    static List<JavaRDD<DataBlock>> splitLocal(JavaSparkContext jsc, double[] x, int n, int d, Splits splits, int p,
                                               long seed) {
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
        int nTrain = (int) Math.round(n * splits.train());
        int nVal = Math.min(n - nTrain, (int) Math.round(n * splits.val()));
        int[] bounds = {0, nTrain, nTrain + nVal, n};
        List<JavaRDD<DataBlock>> out = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            int from = bounds[s];
            int count = bounds[s + 1] - from;
            List<DataBlock> blocks = new ArrayList<>();
            for (int k = 0; k < p; k++) {
                int lo = (int) ((long) count * k / p);
                int hi = (int) ((long) count * (k + 1) / p);
                double[] rows = new double[(hi - lo) * d];
                for (int i = lo; i < hi; i++) {
                    System.arraycopy(x, perm[from + i] * d, rows, (i - lo) * d, d);
                }
                blocks.add(new DataBlock(hi - lo, d, rows));
            }
            out.add(jsc.parallelize(blocks, p));
        }
        return out;
    }

    /** Seeded randomSplit of a table, round-robin repartitioned (deterministically) into p dense blocks. */
    static List<JavaRDD<DataBlock>> splitTable(Dataset<Row> rows, int d, Splits splits, int p, long seed) {
        double[] w = splits.asArray();
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (w[i] > 0) {
                nonEmpty.add(i);
            }
        }
        double[] weights = nonEmpty.stream().mapToDouble(i -> w[i]).toArray();
        Dataset<Row>[] parts = rows.randomSplit(weights, Seeds.derive(seed, Seeds.SPLIT));
        List<JavaRDD<DataBlock>> out = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            int k = nonEmpty.indexOf(s);
            Dataset<Row> part = k >= 0 ? parts[k] : rows.limit(0);
            out.add(part.repartition(p).toJavaRDD().mapPartitions(it -> List.of(toBlock(it, d)).iterator()));
        }
        return out;
    }

    private static DataBlock toBlock(Iterator<Row> it, int d) {
        double[] buf = new double[Math.max(d, 1024)];
        int n = 0;
        while (it.hasNext()) {
            Row r = it.next();
            if ((long) (n + 1) * d > buf.length) {
                long size = Math.min((long) buf.length * 2, Integer.MAX_VALUE - 8);
                if (size < (long) (n + 1) * d) {
                    throw new DataException("a partition holds more than " + n + " rows; use more partitions");
                }
                buf = java.util.Arrays.copyOf(buf, (int) size);
            }
            for (int j = 0; j < d; j++) {
                buf[n * d + j] = r.getDouble(j);
            }
            n++;
        }
        return new DataBlock(n, d, java.util.Arrays.copyOf(buf, n * d));
    }
}
