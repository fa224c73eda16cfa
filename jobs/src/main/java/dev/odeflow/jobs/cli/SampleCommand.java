package dev.odeflow.jobs.cli;

import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.plot.FlowPictures;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code sample --model DIR --n N --output FILE [--seed S] [--format csv|parquet]}: draws z ~ N(0, I), maps it to
 * data space with the model's evaluation solver and writes one row per sample, columns named as in the model.
 */
public final class SampleCommand {

    public static final String NAME = "sample";
    static final Set<String> FLAGS = Set.of("model", "n", "output", "seed", "format");
    private static final int BLOCK = 1024;
    /**
     * Most values (samples × columns) one call draws: the noise, the samples and the CSV text are held in memory
     * (about 40 bytes a value in all). Larger sets are drawn in several calls with different seeds.
     */
    public static final long MAX_VALUES = 1L << 24;

    private SampleCommand() {
    }

    public static void run(List<String> args, PrintStream out) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS);
        cl.noPositionals(NAME);
        cl.noOverrides(NAME);
        Path modelDir = Path.of(cl.required(NAME, "model"));
        int n = cl.positiveInt(NAME, "n", null);
        Path output = Path.of(cl.required(NAME, "output"));
        long seed;
        try {
            seed = Long.parseLong(cl.optional("seed", "0").trim());
        } catch (NumberFormatException e) {
            throw new UsageException(NAME + ": --seed must be an integer");
        }
        DataFormat format = DataFormat.of(output, cl.optional("format", null));
        if (n > MAX_VALUES) {
            throw new UsageException(NAME + ": --n must be at most " + MAX_VALUES + " (samples × columns per call;"
                    + " draw more in several calls with different --seed), got " + n);
        }
        SavedFlow flow = ModelDirectory.read(modelDir);
        checkSize(n, flow.dim());
        OutputStore target = OutputStore.parentOf(output);
        target.checkWritable();
        double[] x = draw(flow, n, seed);
        if (format == DataFormat.CSV) {
            target.writeFile(output.getFileName().toString(),
                    csv(flow.columns(), x, n).getBytes(StandardCharsets.UTF_8));
        } else {
            SparkSession spark = SparkSessions.getOrCreate("odeflow sample");
            StructType schema = new StructType();
            for (String c : flow.columns()) {
                schema = schema.add(c, DataTypes.DoubleType, false);
            }
            int d = flow.dim();
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Object[] v = new Object[d];
                for (int j = 0; j < d; j++) {
                    v[j] = x[i * d + j];
                }
                rows.add(RowFactory.create(v));
            }
            DataFiles.writeSingleFile(spark.createDataFrame(rows, schema), output, format);
        }
        out.println("wrote " + n + " samples to " + output);
    }

    /** Refuses more than {@link #MAX_VALUES} values (n × dim, computed without overflow). */
    static void checkSize(int n, int dim) {
        long values = (long) n * dim;
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException("--n " + n + " × " + dim + " columns = " + values + " values, more than"
                    + " the limit of " + MAX_VALUES + " per call; draw at most " + MAX_VALUES / dim + " samples per call");
        }
    }

    /** n samples in data space from base noise drawn with {@code seed}, block by block on every core. */
    public static double[] draw(SavedFlow flow, int n, long seed) {
        int d = flow.dim();
        checkSize(n, d);
        double[] z = FlowPictures.gaussian(n, d, seed);
        double[] x = new double[n * d];
        IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
            int from = b * BLOCK;
            int m = Math.min(BLOCK, n - from);
            double[] zb = new double[m * d];
            System.arraycopy(z, from * d, zb, 0, m * d);
            System.arraycopy(flow.sample(zb, m), 0, x, from * d, m * d);
        });
        return x;
    }

    static String csv(List<String> header, double[] x, int n) {
        int d = header.size();
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(x[i * d + j]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
