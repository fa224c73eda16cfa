package dev.odeflow.jobs.cli;

import dev.odeflow.jobs.ml.FlowSampling;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code sample --model DIR --n N --output PATH [--seed S] [--format csv|parquet] [--single-file]}: draws
 * z ~ N(0, I), maps it to data space with the model's evaluation solver and writes one row per sample, columns
 * named as in the model; the samples are drawn and written by every executor in parallel
 * ({@link FlowSampling}), on any Hadoop file system.
 */
public final class SampleCommand {

    public static final String NAME = "sample";
    static final Set<String> FLAGS = Set.of("model", "n", "output", "seed", "format");
    static final Set<String> SWITCHES = Set.of("single-file");

    private SampleCommand() {
    }

    public static void run(List<String> args, PrintStream out) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS, SWITCHES);
        cl.noPositionals(NAME);
        cl.noOverrides(NAME);
        String modelDir = cl.required(NAME, "model");
        int n = cl.positiveInt(NAME, "n", null);
        String output = cl.required(NAME, "output");
        long seed = cl.seed(NAME);
        DataFormat format = DataFormat.of(output, cl.optional("format", null), null);
        DataFiles.checkSingleFile(NAME, cl.switchSet("single-file"), n);
        SparkSession spark = SparkSessions.getOrCreate("odeflow sample");
        SavedFlow flow = ModelDirectory.read(DataFiles.store(spark, modelDir, NAME + ": --model"));
        DataFiles.Written w = DataFiles.write(NAME, spark, FlowSampling.samples(spark, flow, n, seed), output, format,
                cl.switchSet("single-file"), n);
        out.println("wrote " + n + " samples: " + w.describe());
    }
}
