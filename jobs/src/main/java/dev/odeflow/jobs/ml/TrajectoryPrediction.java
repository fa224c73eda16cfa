package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.DataException;
import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.data.SeriesData;
import dev.odeflow.driver.data.SeriesTable;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.jobs.model.SeriesLayout;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.model.TrajectoryModelJson;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Predicts the series of a long table with a trajectory model on Spark: the table is read as for training (each
 * series whole in one partition, sorted by time, with the same errors), delay-embedded as the model was, checked
 * against the times asked for, and every partition's series are predicted by its own task
 * ({@link SeriesPredictor}). The result has the model's series and time columns, then {@code pred_<column>} per
 * model column.
 */
public final class TrajectoryPrediction {

    /** What each predicted column's name starts with, before the model's column. */
    public static final String PREFIX = "pred_";

    /** Observations a series needs to be predicted: its first (embedded) one. */
    private static final int MIN_OBSERVATIONS = 1;

    /** Blocks carry a training window; prediction draws none, so the smallest will do. */
    private static final int WINDOW = 2;

    private TrajectoryPrediction() {
    }

    /**
     * The predictions of a table, ready to write.
     *
     * @param table  series, time and the predicted columns, computed when written
     * @param rows   the rows {@code table} has
     * @param cached the persisted series the table is computed from; {@link #close} unpersists them
     */
    public record Predictions(Dataset<Row> table, long rows, JavaRDD<SeriesBlock> cached) implements AutoCloseable {

        @Override
        public void close() {
            cached.unpersist(false);
        }
    }

    /**
     * Reads the series of {@code df} ({@code source} names it in errors; with {@code csvText} text columns are
     * parsed as numbers) in the model's layout and prepares their predictions at {@code times}.
     */
    public static Predictions predict(Dataset<Row> df, String source, boolean csvText, SavedTrajectory model,
                                      PredictionTimes times) {
        SparkSession spark = df.sparkSession();
        StructType schema = schema(model);
        SeriesLayout layout = model.layout();
        int partitions = spark.sparkContext().defaultParallelism();
        JavaRDD<SeriesBlock> blocks = SeriesTable.read(df, source, csvText, new SeriesTable.Columns(
                layout.seriesColumn(), layout.timeColumn(), model.observedColumns()), partitions, WINDOW,
                MIN_OBSERVATIONS);
        if (layout.delay() > 0) {
            blocks = SeriesData.delayEmbedded(blocks, layout.delay(), MIN_OBSERVATIONS, source);
        }
        try {
            for (String problem : blocks.map(times::problem).collect()) {
                if (problem != null) {
                    throw new DataException(source + ": " + problem);
                }
            }
            long rows = blocks.map(times::rows).reduce(Long::sum);
            if (rows == 0) {
                throw new DataException(source + ": the input has no rows");
            }
            JavaRDD<Row> predicted = blocks.flatMap(new SeriesPredictor(
                    TrajectoryModelJson.encode(model, TensorDtype.F64), times));
            return new Predictions(spark.createDataFrame(predicted, schema), rows, blocks);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    /** The series (text) and time columns, then {@link #PREFIX} + each model column; no name twice. */
    static StructType schema(SavedTrajectory model) {
        SeriesLayout layout = model.layout();
        StructType schema = new StructType().add(layout.seriesColumn(), DataTypes.StringType, false)
                .add(layout.timeColumn(), DataTypes.DoubleType, false);
        for (String c : model.columns()) {
            schema = schema.add(PREFIX + c, DataTypes.DoubleType, false);
        }
        Set<String> seen = new HashSet<>();
        for (String name : schema.fieldNames()) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("the output would have the column '" + name + "' twice "
                        + List.of(schema.fieldNames()) + "; the model's series or time column clashes with a"
                        + " predicted one");
            }
        }
        return schema;
    }
}
