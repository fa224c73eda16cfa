package dev.odeflow.jobs.cli;

import dev.odeflow.driver.data.ValueScan;
import dev.odeflow.jobs.ml.FlowScoring;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code score --model DIR --input PATH --output PATH [--columns a,b] [--format csv|parquet]
 * [--output-format csv|parquet] [--nan fail|drop] [--single-file]}: writes the input plus a {@code log_likelihood}
 * column, every partition scored and written by its own task (a directory of part files), on any Hadoop file
 * system.
 */
public final class ScoreCommand {

    public static final String NAME = "score";
    public static final String OUTPUT_COLUMN = "log_likelihood";
    static final Set<String> FLAGS = Set.of("model", "input", "output", "columns", "format", "output-format", "nan");
    static final Set<String> SWITCHES = Set.of("single-file");

    private ScoreCommand() {
    }

    public static void run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS, SWITCHES);
        cl.noPositionals(NAME);
        cl.noOverrides(NAME);
        String modelDir = cl.required(NAME, "model");
        String input = cl.required(NAME, "input");
        String output = cl.required(NAME, "output");
        boolean singleFile = cl.switchSet("single-file");

        boolean drop = switch (cl.optional("nan", "fail").toLowerCase(Locale.ROOT)) {
            case "fail" -> false;
            case "drop" -> true;
            default -> throw new UsageException(NAME + ": --nan must be fail or drop");
        };
        List<String> requested = cl.flags().containsKey("columns")
                ? Arrays.stream(cl.flags().get("columns").split(",")).map(String::trim).toList() : List.of();
        SparkSession spark = SparkSessions.getOrCreate("odeflow score");
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        DataFormat inFormat = DataFormat.of(input, cl.optional("format", null), conf);
        DataFormat outFormat = DataFormat.of(output, cl.optional("output-format", null), null);
        SavedFlow flow = ModelDirectory.read(DataFiles.store(spark, modelDir, NAME + ": --model"));
        Dataset<Row> df = DataFiles.read(spark, input, inFormat);
        List<String> cols = FlowScoring.featureColumns(df.schema(), requested, flow, input);
        ValueScan.Report scan = ValueScan.scan(df, cols, input, true, inFormat == DataFormat.CSV);
        long rows = scan.rows();
        if (rows == 0) {
            throw new IllegalArgumentException(input + ": the input has no rows");
        }
        scan.failOnInfinite();
        long bad = scan.missingRows();
        if (bad > 0 && !drop) {
            throw new IllegalArgumentException(input + ": " + bad + " of " + rows + " rows have a missing or NaN value"
                    + " in " + cols + scan.firstMissingText() + "; pass --nan drop to drop them");
        }
        if (bad > 0) {
            err.println("score: dropping " + bad + " of " + rows + " rows with a missing or NaN value in " + cols);
            df = df.filter(org.apache.spark.sql.functions.not(FlowScoring.missing(cols)));
        }
        DataFiles.Written w = DataFiles.write(NAME, spark, FlowScoring.withLogLikelihood(df, cols, flow, OUTPUT_COLUMN),
                output, outFormat, singleFile, rows - bad);
        out.println("wrote " + w.describe() + " with column " + OUTPUT_COLUMN);
    }
}
