package dev.odeflow.jobs.train;

import dev.odeflow.driver.ClassifierResult;
import dev.odeflow.driver.ClassifierTrainer;
import dev.odeflow.driver.CnfTrainer;
import dev.odeflow.driver.TrainResult;
import dev.odeflow.driver.SeriesResult;
import dev.odeflow.driver.SeriesTrainer;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.ModelKind;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.data.Standardization;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.model.SavedClassifier;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedSeries;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.kernels.latent.LatentOdeModel;
import dev.odeflow.kernels.trajectory.TrajectoryModel;
import dev.odeflow.jobs.model.SeriesLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * The jobs module's only use of the driver's trainers: job files in, a {@link SavedFlow} (CNF), a
 * {@link SavedTrajectory} (trajectory fit), a {@link SavedLatent} (latent ODE) or a {@link SavedClassifier} (image
 * classifier) out, each a {@link FinishedRun} for the {@code train} command.
 */
public final class DriverTraining {

    private DriverTraining() {
    }

    /**
     * A finished run.
     *
     * @param flow    the flow as it will be saved
     * @param testNll test NLL in data space (NaN without a test split)
     * @param valNll  validation NLL in data space (NaN without a validation split)
     * @param driver  the driver's full result (final state, checkpoints written)
     */
    public record Trained(SavedFlow flow, double testNll, double valNll, TrainResult driver) implements FinishedRun {

        @Override
        public List<String> write(OutputStore dir, TrainOutputs outputs) throws IOException {
            return outputs.write(dir, flow);
        }

        @Override
        public String writeSummary(OutputStore dir, String jobFile, JobConf conf, SparkSession spark)
                throws IOException {
            return RunSummary.writeSucceeded(dir, jobFile, conf, spark, driver);
        }

        @Override
        public String resultLine() {
            return String.format(java.util.Locale.ROOT, "test NLL %.4f nats, T %.4f, %d parameters", testNll,
                    flow.endTime(), flow.weights().length);
        }
    }

    /**
     * A finished time-series run: a trajectory fit ({@code model.kind = trajectory}) or a latent ODE
     * ({@code latent_ode}).
     *
     * @param kind   which
     * @param model  the model as it will be saved
     * @param driver the driver's full result (final metrics, final state, the series to draw)
     */
    public record TrainedSeries(ModelKind kind, SavedSeries model, SeriesResult<?> driver) implements FinishedRun {

        @Override
        public List<String> write(OutputStore dir, TrainOutputs outputs) throws IOException {
            return outputs.write(dir, model, driver.shown());
        }

        @Override
        public String writeSummary(OutputStore dir, String jobFile, JobConf conf, SparkSession spark)
                throws IOException {
            return RunSummary.writeSucceeded(dir, jobFile, conf, spark, kind, driver);
        }

        @Override
        public String resultLine() {
            return driver.metricsLine() + ", " + driver.parameters().length + " parameters";
        }
    }

    /**
     * A finished image classifier ({@code model.kind = classifier}).
     *
     * @param model  the classifier as it will be saved
     * @param driver the driver's full result (final scores, final state)
     */
    public record TrainedClassifier(SavedClassifier model, ClassifierResult driver) implements FinishedRun {

        @Override
        public List<String> write(OutputStore dir, TrainOutputs outputs) throws IOException {
            return outputs.write(dir, model);
        }

        @Override
        public String writeSummary(OutputStore dir, String jobFile, JobConf conf, SparkSession spark)
                throws IOException {
            return RunSummary.writeSucceeded(dir, jobFile, conf, spark, driver);
        }

        @Override
        public String resultLine() {
            return String.format(java.util.Locale.ROOT, "test accuracy %.4f (%s), %d parameters",
                    1 - driver.test().error(), driver.metricsLine(), driver.parameters().length);
        }
    }

    /** Every key a job file may set: the driver's training keys, {@link JobsKey} and any {@code spark.*} key. */
    public static Set<String> knownKeys() {
        Set<String> keys = new HashSet<>(TrainKey.names());
        keys.addAll(JobsKey.names());
        return new SparkOrKnown(Set.copyOf(keys));
    }

    /** The {@code spark.*} settings of a job. */
    public static Map<String, String> sparkSettings(JobConf conf) {
        Map<String, String> m = new LinkedHashMap<>();
        conf.asMap().forEach((k, v) -> {
            if (k.startsWith(SparkOrKnown.SPARK_PREFIX)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The named keys plus every key starting with "spark." (iteration lists only the named ones). */
    private static final class SparkOrKnown extends AbstractSet<String> {
        static final String SPARK_PREFIX = "spark.";
        private final Set<String> named;

        SparkOrKnown(Set<String> named) {
            this.named = named;
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof String s && (named.contains(s) || s.startsWith(SPARK_PREFIX) && s.length() > 6);
        }

        @Override
        public Iterator<String> iterator() {
            return named.iterator();
        }

        @Override
        public int size() {
            return named.size();
        }
    }

    /** Reads a job file (null for none) with key=value overrides. */
    public static JobConf load(Path jobFile, List<String> overrides) {
        return JobConf.load(jobFile, overrides, knownKeys());
    }

    /** Trains the kind the configuration names, sending the progress lines to {@code console}. */
    public static FinishedRun train(SparkSession spark, TrainConfig config, java.util.function.Consumer<String> console) {
        return switch (config.kind()) {
            case CNF -> train(spark, config, null, console);
            case TRAJECTORY -> {
                SeriesResult<TrajectoryModel> r = SeriesTrainer.trajectory(spark, config, console);
                yield new TrainedSeries(config.kind(), new SavedTrajectory(r.model(), r.parameters(), r.columns(),
                        SeriesLayout.of(config.trajectory())), r);
            }
            case LATENT_ODE -> {
                SeriesResult<LatentOdeModel> r = SeriesTrainer.latent(spark, config, console);
                yield new TrainedSeries(config.kind(), new SavedLatent(r.model(), r.parameters(), r.columns(),
                        SeriesLayout.of(config.trajectory())), r);
            }
            case CLASSIFIER -> {
                ClassifierResult r = ClassifierTrainer.train(spark, config, console);
                yield new TrainedClassifier(new SavedClassifier(r.model(), r.parameters(),
                        config.classifier().labelColumn(), config.classifier().pixelsColumn()), r);
            }
        };
    }

    /** Trains with the driver (progress lines on standard error, with the logs; results go to standard output). */
    public static Trained train(SparkSession spark, TrainConfig config) {
        return train(spark, config, null, System.err::println);
    }

    /** Trains on {@code frame} (when not null) instead of the table the configuration names. */
    public static Trained train(SparkSession spark, TrainConfig config, Dataset<Row> frame) {
        return train(spark, config, frame, System.err::println);
    }

    /** As {@link #train(SparkSession, TrainConfig, Dataset)}, with the progress lines sent to {@code console}. */
    public static Trained train(SparkSession spark, TrainConfig config, Dataset<Row> frame,
                                java.util.function.Consumer<String> console) {
        TrainResult r = CnfTrainer.train(spark, config, frame, console);
        SavedFlow flow = new SavedFlow(r.model(), r.parameters(), r.standardization(), r.columns());
        return new Trained(flow, r.testNll(), r.valNll(), r);
    }
}
