package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.DataConfig;
import dev.odeflow.driver.conf.SeriesToy;
import dev.odeflow.driver.conf.Splits;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.conf.TrajectoryOptions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * Time series for {@code model.kind} trajectory and latent_ode: the train, validation and test splits, each an RDD with one
 * cached {@link SeriesBlock} per partition. Whole series go to a split, by a seeded hash of their names (as rows
 * do in {@link TableSplit}), so the assignment depends on the names and the seed only.
 *
 * @param train        training blocks (persisted)
 * @param val          validation blocks (persisted)
 * @param test         test blocks (persisted)
 * @param columns      the value columns (x0, x1 for the toy)
 * @param trainWindows training windows per partition (the minibatch plan's units)
 * @param series       series in the train, validation and test splits
 * @param source       what was read, for messages
 */
public record SeriesData(JavaRDD<SeriesBlock> train, JavaRDD<SeriesBlock> val, JavaRDD<SeriesBlock> test,
                         List<String> columns, long[] trainWindows, long[] series, String source) {

    /** Dimension of the observed values. */
    public int dim() {
        return columns.size();
    }

    public void unpersist() {
        train.unpersist(false);
        val.unpersist(false);
        test.unpersist(false);
    }

    /** Loads, checks, partitions, splits and caches the series a configuration names. */
    public static SeriesData load(SparkSession spark, DataConfig cfg, TrajectoryOptions opt, int partitions,
                                  long seed) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int p = partitions > 0 ? partitions : jsc.defaultParallelism();
        JavaRDD<SeriesBlock> all;
        List<String> columns;
        if (cfg.isToy()) {
            SeriesToy kind = SeriesToy.parse(cfg.toyName());
            int n = cfg.toySamples();
            int window = opt.window();
            // Each task makes its own block from the seed: a task then carries a partition number, not its series,
            // also on every later pass over the cached blocks.
            List<Integer> parts = java.util.stream.IntStream.range(0, p).boxed().toList();
            all = jsc.parallelize(parts, p).map(k -> toy(kind, n, window, seed).dealt(k, p))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            columns = kind == SeriesToy.PENDULUM ? List.of("theta") : List.of("x0", "x1");
        } else {
            SeriesTable.Blocks read = SeriesTable.read(spark, cfg, opt, p);
            all = read.blocks();
            columns = read.columns();
        }
        if (opt.delay() > 0) {
            all = delayEmbedded(all, opt.delay(), SeriesTable.MIN_TRAINING_OBSERVATIONS, cfg.describe());
            columns = SeriesBlock.delayColumns(columns, opt.delay());
        }
        if (opt.window() != SeriesBlock.WHOLE_SERIES) { // windows (and predictions) start at complete observations
            List<String> cols = columns;
            for (String problem : all.map(b -> b.incompleteStart(cols)).collect()) {
                if (problem != null) {
                    all.unpersist(false);
                    throw new DataException(cfg.describe() + ": " + problem);
                }
            }
        }
        try {
            long splitSeed = Seeds.derive(seed, Seeds.SPLIT);
            double[] upper = TableSplit.upperEnds(cfg.splits());
            List<JavaRDD<SeriesBlock>> splits = new ArrayList<>();
            long[] series = new long[3];
            for (int s = 0; s < 3; s++) {
                int split = s;
                JavaRDD<SeriesBlock> part = all.map(b -> b.select(i -> TableSplit.splitOf(b.ids().get(i).hashCode(),
                        splitSeed, upper) == split)).persist(StorageLevel.MEMORY_AND_DISK());
                series[s] = part.map(b -> (long) b.series()).reduce(Long::sum);
                splits.add(part);
            }
            long[] windows = splits.get(0).map(b -> (long) b.units()).collect().stream().mapToLong(Long::longValue)
                    .toArray();
            SeriesData data = new SeriesData(splits.get(0), splits.get(1), splits.get(2), columns, windows, series,
                    cfg.describe());
            try {
                checkSplits(data, cfg.splits());
            } catch (DataException e) {
                data.unpersist();
                throw e;
            }
            return data;
        } finally {
            all.unpersist(false);
        }
    }

    /** All series of a toy set, a pure function of its arguments. */
    static SeriesBlock toy(SeriesToy kind, int n, int window, long seed) {
        return switch (kind) {
            case SPIRAL -> SpiralSeries.block(n, window);
            case PENDULUM -> PendulumSeries.block(n, window, seed);
            case BISPIRALS -> BiSpiralSeries.block(n, window, Seeds.derive(seed, Seeds.DATA));
        };
    }

    /**
     * The delay embedding with lag k of persisted blocks, persisted in their place (the plain blocks are unpersisted,
     * also when a series is too short: then the DataException names {@code source}, the series and its length).
     * Every series keeps at least {@code min} embedded observations.
     */
    public static JavaRDD<SeriesBlock> delayEmbedded(JavaRDD<SeriesBlock> plain, int k, int min, String source) {
        for (String problem : plain.map(b -> b.delayProblem(k, min)).collect()) {
            if (problem != null) {
                plain.unpersist(false);
                throw new DataException(source + ": " + problem);
            }
        }
        JavaRDD<SeriesBlock> embedded = plain.map(b -> b.delayEmbedded(k, min))
                .persist(StorageLevel.MEMORY_AND_DISK());
        embedded.count(); // cached before the plain blocks go
        plain.unpersist(false);
        return embedded;
    }

    /** Every split with a fraction above 0 needs a series. */
    private static void checkSplits(SeriesData d, Splits s) {
        double[] fractions = {s.train(), s.val(), s.test()};
        String[] names = {"training", "validation", "test"};
        long total = d.series[0] + d.series[1] + d.series[2];
        for (int i = 0; i < 3; i++) {
            if (fractions[i] > 0 && d.series[i] == 0) {
                throw new DataException(d.source + ": the " + names[i] + " split (fraction " + fractions[i]
                        + ") has none of the " + total + " series; series are split whole: with few series set "
                        + TrainKey.DATA_SPLITS.key() + " to give only the training split a fraction (1,0,0)");
            }
        }
    }
}
