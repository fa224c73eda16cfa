package dev.odeflow.driver;

import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.data.SeriesData;
import dev.odeflow.driver.data.Seeds;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.driver.output.RunLock;
import dev.odeflow.driver.train.LatentObjective;
import dev.odeflow.driver.train.TrainLoop;
import dev.odeflow.driver.train.TrajectoryObjective;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.latent.ObservationPart;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Trains the time-series kinds data-parallel on Spark: loads the series as one block per partition, runs the
 * shared loop ({@link TrainLoop}) and evaluates each kind's final metrics on every split. The trajectory fit
 * ({@code model.kind = trajectory}, torchdiffeq's ode_demo) trains on random windows and reports the RMSE of each
 * series predicted whole from its first value; the latent ODE ({@code model.kind = latent_ode}) trains on whole
 * series and reports the interpolation (context) and extrapolation RMSE of the posterior mean. Writing the model
 * directory is the caller's job.
 */
public final class SeriesTrainer {

    /** How many series (held-out test series when there are any) a result carries for pictures. */
    public static final int SHOWN_SERIES = 4;

    private SeriesTrainer() {
    }

    /** Fits a trajectory model, sending progress lines to {@code console}. */
    public static SeriesResult<TrajectoryModel> trajectory(SparkSession spark, TrainConfig cfg,
                                                           Consumer<String> console) {
        requireKind(cfg, ModelKind.TRAJECTORY);
        return train(spark, cfg, cfg.trajectory().window(), console, dim -> {
            TrajectoryModel model = cfg.trajectoryModelFor(dim);
            TrajectoryObjective objective = new TrajectoryObjective(model);
            return new SeriesFit<>(model, objective,
                    model.field().initialParameters(Seeds.derive(cfg.seed(), Seeds.INIT)),
                    List.of(new SeriesFit.Final("RMSE", objective)));
        });
    }

    /** Trains a latent ODE (or its GRU baseline), sending progress lines to {@code console}. */
    public static SeriesResult<LatentOdeModel> latent(SparkSession spark, TrainConfig cfg, Consumer<String> console) {
        requireKind(cfg, ModelKind.LATENT_ODE);
        return train(spark, cfg, SeriesBlock.WHOLE_SERIES, console, dim -> {
            LatentOdeModel model = cfg.latentModelFor(dim);
            LatentObjective all = new LatentObjective(model, ObservationPart.ALL);
            return new SeriesFit<>(model, all, model.arch().initialParameters(Seeds.derive(cfg.seed(), Seeds.INIT)),
                    List.of(new SeriesFit.Final("interp RMSE", all.scoring(ObservationPart.CONTEXT)),
                            new SeriesFit.Final("extrap RMSE", all.scoring(ObservationPart.FORECAST))));
        });
    }

    private static void requireKind(TrainConfig cfg, ModelKind kind) {
        if (cfg.kind() != kind) {
            throw new IllegalArgumentException("model.kind is " + cfg.kind().label() + ", not " + kind.label());
        }
    }

    private static <M> SeriesResult<M> train(SparkSession spark, TrainConfig cfg, int window, Consumer<String> console,
                                             IntFunction<SeriesFit<M>> fitFor) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CnfTrainer.checkWritable(cfg, jsc);
        try (RunLock lock = CnfTrainer.lockOutputs(cfg, jsc.hadoopConfiguration())) {
            long start = System.nanoTime();
            SeriesData data = SeriesData.load(spark, cfg.data(), cfg.trajectory().withWindow(window), cfg.partitions(),
                    cfg.seed());
            double dataSeconds = (System.nanoTime() - start) * 1e-9;
            try {
                return trainOn(jsc, data, dataSeconds, cfg, console, fitFor.apply(data.dim()));
            } finally {
                data.unpersist();
            }
        }
    }

    private static <M> SeriesResult<M> trainOn(JavaSparkContext jsc, SeriesData data, double dataSeconds,
                                               TrainConfig cfg, Consumer<String> console, SeriesFit<M> fit) {
        TrainLoop<SeriesBlock> loop = new TrainLoop<>(jsc, fit.training(), data.train(), data.trainWindows(),
                data.series()[1] > 0 ? data.val() : null, cfg, console);
        TrainLoop.Outcome out = loop.run(fit.initial());
        double[] w = out.parameters();
        long evalStart = System.nanoTime();
        String[] names = {"train", "validation", "test"};
        List<JavaRDD<SeriesBlock>> splits = List.of(data.train(), data.val(), data.test());
        Map<String, double[]> metrics = new LinkedHashMap<>();
        List<FinalMetrics.Value> finals = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (SeriesFit.Final f : fit.finals()) {
            double[] v = new double[3];
            for (int s = 0; s < 3; s++) {
                v[s] = CnfTrainer.evaluate(jsc, names[s], splits.get(s), data.series()[s], f.objective(), w, cfg,
                        console).metric();
                finals.add(new FinalMetrics.Value(names[s] + " " + f.label(), v[s], data.series()[s], "series"));
            }
            metrics.put(f.objective().metricName(), v);
            line.append(String.format(Locale.ROOT, "%s%s train %.4f, val %.4f, test %.4f",
                    metrics.size() == 1 ? "" : "; ", f.label(), v[0], v[1], v[2]));
        }
        RunStats stats = RunStats.of(dataSeconds, out.wallSeconds(), (System.nanoTime() - evalStart) * 1e-9,
                out.history(), data.series());
        console.accept(String.format(Locale.ROOT, "odeflow done: %d iterations in %.1f s, %s", out.iterations(),
                out.wallSeconds(), line));
        FinalMetrics.check(finals, cfg.nonFiniteMetrics(), data.source(), console);
        JavaRDD<SeriesBlock> drawn = data.series()[2] > 0 ? data.test() : data.train(); // held out when there are
        SeriesBlock shown = drawn.filter(b -> b.series() > 0).first().select(s -> s < SHOWN_SERIES);
        return new SeriesResult<>(w, fit.model(), data.columns(), out.lastLoss(), metrics, line.toString(),
                out.iterations(),
                out.wallSeconds(), out.metricsFile(), out.lastCheckpoint(), out.finalState(), stats, shown);
    }
}
