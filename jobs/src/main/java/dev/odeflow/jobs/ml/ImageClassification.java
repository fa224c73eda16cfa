package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.DataException;
import dev.odeflow.driver.data.IdxImages;
import dev.odeflow.driver.data.ImageTable;
import dev.odeflow.jobs.model.SavedClassifier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Classifies images with a trained classifier on Spark, partition by partition ({@link RowClassifier}): every row
 * of a table keeps its columns and gains {@value #PREDICTION} (the class of largest logit) and
 * {@value #PROBABILITIES} (the softmax of the logits, one per class); the images of IDX files become rows of
 * {@value #INDEX} (the image's place in the file), {@code label} when the file has labels, and the two.
 */
public final class ImageClassification {

    public static final String PREDICTION = "prediction";
    public static final String PROBABILITIES = "probabilities";
    public static final String INDEX = "index";
    public static final String LABEL = "label";
    private static final String PIXELS = "pixels";

    private ImageClassification() {
    }

    /**
     * The classified rows, ready to write.
     *
     * @param table the rows, computed when written
     * @param rows  how many
     */
    public record Classified(Dataset<Row> table, long rows) {
    }

    /**
     * The rows of {@code df} ({@code source} names it in errors) with the predictions added: its pixel column is
     * the model's {@code data.pixels}, checked as training checks it (every row an array of integers 0–255 of the
     * model's image size; errors count the rows).
     */
    public static Classified classify(Dataset<Row> df, String source, SavedClassifier model) {
        for (String added : List.of(PREDICTION, PROBABILITIES)) {
            if (Arrays.asList(df.columns()).contains(added)) {
                throw new DataException(source + ": the table already has a column '" + added + "', which classify"
                        + " adds");
            }
        }
        ImageTable.Checked checked = ImageTable.check(df, source, null, model.pixelsColumn(),
                model.model().arch().input(), 0);
        StructType schema = added(df.schema());
        JavaRDD<Row> out = df.javaRDD().mapPartitions(new RowClassifier(model.model(), model.weights(),
                df.schema().fieldIndex(model.pixelsColumn()), false));
        return new Classified(df.sparkSession().createDataFrame(out, schema), checked.rows());
    }

    /** The images of IDX files (read on the driver), spread over Spark's default parallelism and classified. */
    public static Classified classify(SparkSession spark, IdxImages images, SavedClassifier model) {
        if (!images.shape().equals(model.model().arch().input())) {
            throw new DataException(images.source() + ": images of " + images.shape() + ", but the model reads "
                    + model.model().arch().input());
        }
        if (images.n() == 0) {
            throw new DataException(images.source() + ": the file holds no images");
        }
        boolean labelled = images.labels() != null;
        StructType schema = new StructType().add(INDEX, DataTypes.LongType, false);
        if (labelled) {
            schema = schema.add(LABEL, DataTypes.IntegerType, false);
        }
        schema = schema.add(PIXELS, DataTypes.BinaryType, false);
        int size = images.shape().size();
        List<Row> rows = new ArrayList<>(images.n());
        for (int i = 0; i < images.n(); i++) {
            byte[] px = Arrays.copyOfRange(images.pixels(), i * size, (i + 1) * size);
            rows.add(labelled ? RowFactory.create((long) i, images.labels()[i], px) : RowFactory.create((long) i, px));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int pixels = labelled ? 2 : 1;
        JavaRDD<Row> out = jsc.parallelize(rows, jsc.defaultParallelism())
                .mapPartitions(new RowClassifier(model.model(), model.weights(), pixels, true));
        StructType kept = new StructType(Arrays.stream(schema.fields()).filter(f -> !f.name().equals(PIXELS))
                .toArray(org.apache.spark.sql.types.StructField[]::new));
        return new Classified(spark.createDataFrame(out, added(kept)), images.n());
    }

    private static StructType added(StructType schema) {
        return schema.add(PREDICTION, DataTypes.IntegerType, false)
                .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    }
}
