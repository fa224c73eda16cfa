package dev.odeflow.driver;

import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.data.SeriesData;
import dev.odeflow.driver.data.Seeds;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.driver.output.RunLock;
import dev.odeflow.driver.train.TrainLoop;
import dev.odeflow.driver.train.TrajectoryObjective;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Fits a vector field to time series ({@code model.kind = trajectory}, torchdiffeq's ode_demo) data-parallel on
 * Spark: loads the series as one block per partition, runs the shared loop ({@link TrainLoop}) on random windows
 * and evaluates the RMSE of every split's series predicted from their first values. Writing the model directory
 * is the caller's job.
 */
public final class TrajectoryTrainer {

    /** How many training series a result carries for pictures. */
    public static final int SHOWN_SERIES = 4;

    private TrajectoryTrainer() {
    }

    /** Trains, sending progress lines to {@code console}. */
    public static TrajectoryResult train(SparkSession spark, TrainConfig cfg, Consumer<String> console) {
        if (cfg.kind() != ModelKind.TRAJECTORY) {
            throw new IllegalArgumentException("model.kind is " + cfg.kind().label() + ", not trajectory");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CnfTrainer.checkWritable(cfg, jsc);
        try (RunLock lock = CnfTrainer.lockOutputs(cfg, jsc.hadoopConfiguration())) {
            return trainLocked(spark, cfg, console, jsc);
        }
    }

    private static TrajectoryResult trainLocked(SparkSession spark, TrainConfig cfg, Consumer<String> console,
                                                JavaSparkContext jsc) {
        long start = System.nanoTime();
        SeriesData data = SeriesData.load(spark, cfg.data(), cfg.trajectory(), cfg.partitions(), cfg.seed());
        double dataSeconds = (System.nanoTime() - start) * 1e-9;
        try {
            TrajectoryModel model = cfg.trajectoryModelFor(data.dim());
            TrajectoryObjective objective = new TrajectoryObjective(model);
            double[] w0 = model.field().initialParameters(Seeds.derive(cfg.seed(), Seeds.INIT));
            TrainLoop<SeriesBlock> loop = new TrainLoop<>(jsc, objective, data.train(), data.trainWindows(),
                    data.series()[1] > 0 ? data.val() : null, cfg, console);
            TrainLoop.Outcome out = loop.run(w0);
            double[] w = out.parameters();
            long evalStart = System.nanoTime();
            String[] names = {"train", "validation", "test"};
            java.util.List<JavaRDD<SeriesBlock>> splits = java.util.List.of(data.train(), data.val(), data.test());
            double[] rmse = new double[3];
            for (int s = 0; s < 3; s++) {
                rmse[s] = CnfTrainer.evaluate(jsc, names[s], splits.get(s), data.series()[s], objective, w, cfg,
                        console).metric();
            }
            RunStats stats = RunStats.of(dataSeconds, out.wallSeconds(), (System.nanoTime() - evalStart) * 1e-9,
                    out.history(), data.series());
            console.accept(String.format(Locale.ROOT, "odeflow done: %d iterations in %.1f s, RMSE train %.4f,"
                    + " val %.4f, test %.4f", out.iterations(), out.wallSeconds(), rmse[0], rmse[1], rmse[2]));
            java.util.List<FinalMetrics.Value> finals = new java.util.ArrayList<>();
            for (int s = 0; s < 3; s++) {
                finals.add(new FinalMetrics.Value(names[s] + " RMSE", rmse[s], data.series()[s], "series"));
            }
            FinalMetrics.check(finals, cfg.nonFiniteMetrics(), data.source(), console);
            SeriesBlock shown = data.train().filter(b -> b.series() > 0).first()
                    .select(s -> s < SHOWN_SERIES);
            return new TrajectoryResult(w, model, data.columns(), out.lastLoss(), rmse, out.iterations(),
                    out.wallSeconds(), out.metricsFile(), out.lastCheckpoint(), out.finalState(), stats, shown);
        } finally {
            data.unpersist();
        }
    }
}
