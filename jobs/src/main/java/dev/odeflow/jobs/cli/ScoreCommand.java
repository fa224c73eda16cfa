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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code score --model DIR --input FILE --output FILE [--columns a,b] [--format csv|parquet]
 * [--output-format csv|parquet] [--nan fail|drop]}: writes the input plus a {@code log_likelihood} column.
 */
public final class ScoreCommand {

    public static final String NAME = "score";
    public static final String OUTPUT_COLUMN = "log_likelihood";
    static final Set<String> FLAGS = Set.of("model", "input", "output", "columns", "format", "output-format", "nan");

    private ScoreCommand() {
    }

    public static void run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS);
        cl.noPositionals(NAME);
        cl.noOverrides(NAME);
        Path modelDir = Path.of(cl.required(NAME, "model"));
        Path input = Path.of(cl.required(NAME, "input"));
        Path output = Path.of(cl.required(NAME, "output"));
        boolean drop = switch (cl.optional("nan", "fail").toLowerCase(Locale.ROOT)) {
            case "fail" -> false;
            case "drop" -> true;
            default -> throw new UsageException(NAME + ": --nan must be fail or drop");
        };
        DataFormat inFormat = DataFormat.of(input, cl.optional("format", null));
        DataFormat outFormat = DataFormat.of(output, cl.optional("output-format", null));
        List<String> requested = cl.flags().containsKey("columns")
                ? Arrays.stream(cl.flags().get("columns").split(",")).map(String::trim).toList() : List.of();
        SavedFlow flow = ModelDirectory.read(modelDir);
        SparkSession spark = SparkSessions.getOrCreate("odeflow score");
        Dataset<Row> df = DataFiles.read(spark, input, inFormat);
        List<String> cols = FlowScoring.featureColumns(df.schema(), requested, flow, input.toString());
        ValueScan.Report scan = ValueScan.scan(df, cols, input.toString(), true, inFormat == DataFormat.CSV);
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
        DataFiles.writeSingleFile(FlowScoring.withLogLikelihood(df, cols, flow, OUTPUT_COLUMN), output, outFormat);
        out.println("wrote " + (rows - bad) + " rows with column " + OUTPUT_COLUMN + " to " + output);
    }
}
