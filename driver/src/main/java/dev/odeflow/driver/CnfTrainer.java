package dev.odeflow.driver;

import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.DataBlock;
import dev.odeflow.driver.data.MinibatchPlan;
import dev.odeflow.driver.data.PreparedData;
import dev.odeflow.driver.data.Seeds;
import dev.odeflow.driver.data.TrainingBlock;
import dev.odeflow.driver.gpu.GpuAssignment;
import dev.odeflow.driver.metrics.EvalProgress;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.driver.output.RunLock;
import dev.odeflow.driver.train.CnfObjective;
import dev.odeflow.driver.train.Evaluator;
import dev.odeflow.driver.train.Objective;
import dev.odeflow.driver.train.TrainLoop;
import dev.odeflow.kernels.model.CnfModel;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Trains a continuous normalizing flow data-parallel on Spark: loads and caches the data as one dense block
 * per partition, runs the synchronous loop ({@link TrainLoop}) and evaluates the final validation and test NLL
 * across the cluster. Writing the model directory is the caller's job.
 */
public final class CnfTrainer {

    private CnfTrainer() {
    }

    /** Trains with progress lines on standard error (with the logs). */
    public static TrainResult train(SparkSession spark, TrainConfig cfg) {
        return train(spark, cfg, System.err::println);
    }

    /** Trains, sending progress lines to {@code console}. */
    public static TrainResult train(SparkSession spark, TrainConfig cfg, Consumer<String> console) {
        return train(spark, cfg, null, console);
    }

    /**
     * Trains on a DataFrame the caller already has (when {@code frame} is not null) instead of the table the
     * configuration names; the configuration still picks its columns, splits and NaN policy.
     */
    public static TrainResult train(SparkSession spark, TrainConfig cfg, Dataset<Row> frame, Consumer<String> console) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        checkWritable(cfg, jsc);
        try (RunLock lock = lockOutputs(cfg, jsc.hadoopConfiguration())) {
            return trainLocked(spark, cfg, frame, console, jsc);
        }
    }

    /**
     * Takes the run's lock ({@link RunLock}): in output.dir, or in checkpoint.dir when there is no output.dir but
     * checkpoints are used; null when the run writes no files.
     */
    public static RunLock lockOutputs(TrainConfig cfg, org.apache.hadoop.conf.Configuration conf) {
        if (cfg.outputDir() != null) {
            return RunLock.acquire(cfg.outputDir(), conf);
        }
        if (cfg.checkpoint().dir() != null && (cfg.checkpoint().every() > 0 || cfg.checkpoint().resume().mayResume())) {
            return RunLock.acquire(cfg.checkpoint().dir(), conf);
        }
        return null;
    }

    private static TrainResult trainLocked(SparkSession spark, TrainConfig cfg, Dataset<Row> frame,
                                           Consumer<String> console, JavaSparkContext jsc) {
        long start = System.nanoTime();
        PreparedData data = PreparedData.load(spark, cfg.data(), cfg.partitions(), cfg.seed(), frame,
                cfg.batchSize());
        double dataSeconds = (System.nanoTime() - start) * 1e-9;
        try {
            CnfModel model = cfg.modelFor(data.dim());
            CnfObjective objective = new CnfObjective(model, new GpuAssignment(cfg.gpuLocalDevices()),
                    -data.standardization().logDetJacobian());
            double[] w0 = model.initialParameters(Seeds.derive(cfg.seed(), Seeds.INIT), cfg.initialEndTime());
            TrainLoop<DataBlock> loop = new TrainLoop<>(jsc, objective, data.train(), data.trainRows(),
                    validationSubset(data, cfg), cfg, console);
            TrainLoop.Outcome out = loop.run(w0);
            double[] w = out.parameters();
            long evalStart = System.nanoTime();
            Evaluator.Evaluation valNll = evaluate(jsc, "validation", data.val(), data.sizes().val(), objective, w,
                    cfg, console);
            Evaluator.Evaluation testNll = evaluate(jsc, "test", data.test(), data.sizes().test(), objective, w, cfg,
                    console);
            double val = valNll.metric();
            double test = testNll.metric();
            RunStats stats = RunStats.of(dataSeconds, out.wallSeconds(), (System.nanoTime() - evalStart) * 1e-9,
                    out.history(), new long[] {data.trainCount(), valNll.count(), testNll.count()});
            console.accept(String.format(java.util.Locale.ROOT,
                    "odeflow done: %d iterations in %.1f s, T %.4f, val NLL %.4f, test NLL %.4f", out.iterations(),
                    out.wallSeconds(), model.endTime(w), val, test));
            FinalMetrics.check(val, data.sizes().val(), test, data.sizes().test(), cfg.nonFiniteMetrics(),
                    data.source(), console);
            return new TrainResult(w, model, data.standardization(), data.columns(), model.endTime(w), out.lastLoss(),
                    val, test, out.iterations(), out.wallSeconds(), out.metricsFile(),
                    out.lastCheckpoint(), out.finalState(), stats);
        } finally {
            data.unpersist();
        }
    }

    /** The final evaluation of one split ({@code units} rows or series), with a progress line every 15 s. */
    static <B extends TrainingBlock> Evaluator.Evaluation evaluate(JavaSparkContext jsc, String split,
                                                                   JavaRDD<B> blocks, long units,
                                                                   Objective<B> objective, double[] w,
                                                                   TrainConfig cfg, Consumer<String> console) {
        jsc.setJobDescription("odeflow " + split + " evaluation");
        try (EvalProgress progress = EvalProgress.start(jsc, split, units, console)) {
            return Evaluator.evaluate(jsc, blocks, objective, w, cfg.aggregateDepth(), progress.rows());
        }
    }

    /** The first eval.rows validation rows (spread over partitions by their sizes), or all of them. */
    static JavaRDD<DataBlock> validationSubset(PreparedData data, TrainConfig cfg) {
        long total = 0;
        for (long r : data.valRows()) {
            total += r;
        }
        if (total == 0) {
            return null;
        }
        if (cfg.evalRows() == 0 || cfg.evalRows() >= total) {
            return data.val();
        }
        MinibatchPlan shares = MinibatchPlan.of(data.valRows(), cfg.evalRows(), cfg.seed());
        return data.val().mapPartitionsWithIndex((p, it) -> {
            java.util.List<DataBlock> out = new java.util.ArrayList<>();
            it.forEachRemaining(b -> out.add(b.head(shares.share(p))));
            return out.iterator();
        }, true);
    }

    /**
     * Fails early, naming the path, when output.dir or checkpoint.dir cannot be written: the output store's own
     * check (a uniquely named probe created exclusively, then deleted). A checkpoint.dir without a scheme is on
     * Hadoop's default file system, as {@link dev.odeflow.driver.checkpoint.CheckpointStore} reads it.
     */
    static void checkWritable(TrainConfig cfg, JavaSparkContext jsc) {
        if (cfg.outputDir() != null) {
            try {
                OutputStore.at(cfg.outputDir(), jsc.hadoopConfiguration()).checkWritable();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("output.dir " + cfg.outputDir() + " cannot be written: "
                        + describe(e), e);
            }
        }
        String ck = cfg.checkpoint().dir();
        if (ck != null && (cfg.checkpoint().every() > 0 || cfg.checkpoint().resume().mayResume())) {
            try {
                Path p = new Path(ck);
                String qualified = p.getFileSystem(jsc.hadoopConfiguration()).makeQualified(p).toString();
                OutputStore.at(qualified, jsc.hadoopConfiguration()).checkWritable();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("checkpoint.dir " + ck + " cannot be written: " + describe(e), e);
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
