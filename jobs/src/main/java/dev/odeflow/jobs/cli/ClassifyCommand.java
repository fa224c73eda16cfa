package dev.odeflow.jobs.cli;

import dev.odeflow.driver.data.IdxFiles;
import dev.odeflow.driver.data.IdxImages;
import dev.odeflow.jobs.ml.ImageClassification;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedClassifier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code classify --model DIR --input PATH --output PATH [--format parquet|idx] [--single-file]}: classifies images
 * with a trained image classifier ({@code model.kind = classifier}). A Parquet table keeps every column and gains
 * {@code prediction} and {@code probabilities}; IDX input (a directory: its t10k files; or one images file, with
 * the labels file beside it when there is one) becomes rows of {@code index}, {@code label} (when labelled),
 * {@code prediction} and {@code probabilities}. The result is Parquet, written by every task and published
 * atomically ({@link DataFiles}).
 */
public final class ClassifyCommand {

    public static final String NAME = "classify";
    static final Set<String> FLAGS = Set.of("model", "input", "output", "format");
    static final Set<String> SWITCHES = Set.of("single-file");

    /** What classify reads. */
    enum Input {
        PARQUET, IDX
    }

    private ClassifyCommand() {
    }

    public static void run(List<String> args, PrintStream out) throws IOException {
        CommandLine cl = CommandLine.parse(NAME, args, FLAGS, SWITCHES);
        cl.noPositionals(NAME);
        cl.noOverrides(NAME);
        String modelDir = cl.required(NAME, "model");
        String input = cl.required(NAME, "input");
        String output = cl.required(NAME, "output");
        SparkSession spark = SparkSessions.getOrCreate("odeflow classify");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Input format = input(input, cl.optional("format", null), conf);
        SavedClassifier model = ModelDirectory.readClassifier(DataFiles.store(spark, modelDir, NAME + ": --model"));
        ImageClassification.Classified c = switch (format) {
            case PARQUET -> ImageClassification.classify(DataFiles.read(spark, input, DataFormat.PARQUET), input,
                    model);
            case IDX -> ImageClassification.classify(spark, idx(input, conf), model);
        };
        DataFiles.Written w = DataFiles.write(NAME, spark, c.table(), output, DataFormat.PARQUET,
                cl.switchSet("single-file"), c.rows());
        out.println("wrote " + w.describe() + " with columns " + List.of(c.table().columns()));
    }

    /** An IDX directory's t10k images, or one images file, with their labels when there are any. */
    private static IdxImages idx(String input, Configuration conf) throws IOException {
        if (IdxFiles.isImagesFile(input)) {
            return IdxFiles.readImagesFile(input, conf);
        }
        if (!IdxFiles.hasPart(input, IdxFiles.Part.TEST, conf)) {
            throw new UsageException(NAME + ": --input " + input + " is neither an IDX images file (..."
                    + "-images-idx3-ubyte[.gz]) nor a directory holding " + IdxFiles.Part.TEST.imagesFile()
                    + "[.gz]");
        }
        return IdxFiles.readImages(input, IdxFiles.Part.TEST, conf);
    }

    /** --format, or IDX for an images file or a directory of them, else the table's format (Parquet only). */
    static Input input(String location, String explicit, Configuration conf) throws IOException {
        if (explicit != null) {
            return switch (explicit.trim().toLowerCase(Locale.ROOT)) {
                case "parquet" -> Input.PARQUET;
                case "idx" -> Input.IDX;
                default -> throw new UsageException(NAME + ": unknown format '" + explicit
                        + "'; expected parquet or idx");
            };
        }
        if (IdxFiles.isImagesFile(location) || IdxFiles.hasPart(location, IdxFiles.Part.TEST, conf)) {
            return Input.IDX;
        }
        if (DataFormat.of(location, null, conf) != DataFormat.PARQUET) {
            throw new UsageException(NAME + ": " + location + " is CSV; classify reads a Parquet table with a pixel"
                    + " array column, or IDX files");
        }
        return Input.PARQUET;
    }
}
