package dev.odeflow.jobs.cli;

import dev.odeflow.jobs.ml.PredictionTimes;
import dev.odeflow.jobs.ml.SeriesPrediction;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedSeries;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code predict --model DIR --input PATH --output PATH [--times LIST] [--samples N] [--seed S]
 * [--format csv|parquet] [--output-format csv|parquet] [--single-file]}: predicts every series of a long table at
 * its own observation times or at {@code --times}, with a trajectory model ({@code model.kind = trajectory}: from
 * its first observation) or a latent ODE ({@code latent_ode}: encoded from its context; the posterior mean's path
 * and {@code --samples} paths drawn from q(z0 | x)); every partition's series are predicted and written by its own
 * task ({@link SeriesPrediction}), on any Hadoop file system.
 */
public final class PredictCommand {

    public static final String NAME = "predict";
    static final Set<String> FLAGS = Set.of("model", "input", "output", "times", "samples", "seed", "format",
            "output-format");
    static final Set<String> SWITCHES = Set.of("single-file");

    private PredictCommand() {
    }

    public static void run(List<String> args, PrintStream out) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS, SWITCHES);
        cl.noPositionals(NAME);
        cl.noOverrides(NAME);
        String modelDir = cl.required(NAME, "model");
        String input = cl.required(NAME, "input");
        String output = cl.required(NAME, "output");
        PredictionTimes times = new PredictionTimes.Observed();
        if (cl.flags().containsKey("times")) {
            try {
                times = PredictionTimes.parse(cl.required(NAME, "times"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(NAME + ": --times: " + e.getMessage());
            }
        }
        int samples = cl.nonNegativeInt(NAME, "samples", "0");
        long seed = cl.seed(NAME);
        DataFormat outFormat = DataFormat.of(output, cl.optional("output-format", null), null);
        SparkSession spark = SparkSessions.getOrCreate("odeflow predict");
        DataFormat inFormat = DataFormat.of(input, cl.optional("format", null),
                spark.sparkContext().hadoopConfiguration());
        SavedSeries model = ModelDirectory.readSeries(DataFiles.store(spark, modelDir, NAME + ": --model"));
        if (samples > 0 && !(model instanceof SavedLatent)) {
            throw new UsageException(NAME + ": --samples draws from a latent ODE's q(z0 | x); " + modelDir
                    + " is a trajectory model");
        }
        try (SeriesPrediction.Predictions p = SeriesPrediction.predict(DataFiles.read(spark, input, inFormat),
                input, inFormat == DataFormat.CSV, model, times, samples, seed)) {
            DataFiles.Written w = DataFiles.write(NAME, spark, p.table(), output, outFormat,
                    cl.switchSet("single-file"), p.rows());
            out.println("wrote " + w.describe() + " with columns " + List.of(p.table().columns()));
        }
    }
}
