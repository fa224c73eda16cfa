package dev.odeflow.jobs.ml;

import dev.odeflow.driver.data.DataException;
import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.data.SeriesData;
import dev.odeflow.driver.data.SeriesTable;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedSeries;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.jobs.model.SeriesLayout;
import dev.odeflow.jobs.model.TensorDtype;
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
 * Predicts the series of a long table with a time-series model on Spark (a trajectory fit or a latent ODE): the
 * table is read as for training (each series whole in one partition, sorted by time, with the same errors),
 * delay-embedded as the model was, checked against the times asked for, and every partition's series are predicted
 * by its own task ({@link SeriesPredictor}). The result has the model's series and time columns, for a latent ODE
 * a {@value #SAMPLE} column (0: the posterior mean; 1..n: draws from q(z0 | x)), then {@code pred_<column>} per
 * model column.
 */
public final class SeriesPrediction {

    /** What each predicted column's name starts with, before the model's column. */
    public static final String PREFIX = "pred_";

    /** The column numbering a latent ODE's paths: 0 the posterior mean, 1.. the draws. */
    public static final String SAMPLE = "sample";

    /**
     * Observations a series needs to be predicted: a trajectory, its first (embedded) one; a latent ODE, 2 (its
     * encoder reads the first, its time span needs a second).
     */
    private static int minObservations(SavedSeries model) {
        return model instanceof SavedLatent ? 2 : 1;
    }

    /** Blocks carry a training window; prediction draws none, so the smallest will do. */
    private static final int WINDOW = 2;

    private SeriesPrediction() {
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
     * parsed as numbers) in the model's layout and prepares their predictions at {@code times}, with
     * {@code samples} draws (seeded by {@code seed}) beside a latent ODE's posterior mean.
     */
    public static Predictions predict(Dataset<Row> df, String source, boolean csvText, SavedSeries model,
                                      PredictionTimes times, int samples, long seed) {
        if (samples < 0 || samples > 0 && !(model instanceof SavedLatent)) {
            throw new IllegalArgumentException("samples must be >= 0, and only a latent ODE draws them; got "
                    + samples);
        }
        SparkSession spark = df.sparkSession();
        StructType schema = schema(model);
        SeriesLayout layout = model.layout();
        int partitions = spark.sparkContext().defaultParallelism();
        JavaRDD<SeriesBlock> blocks = SeriesTable.read(df, source, csvText, new SeriesTable.Columns(
                layout.seriesColumn(), layout.timeColumn(), model.observedColumns()), partitions, WINDOW,
                minObservations(model));
        if (layout.delay() > 0) {
            blocks = SeriesData.delayEmbedded(blocks, layout.delay(), minObservations(model), source);
        }
        try {
            List<String> columns = model.columns();
            boolean fromFirst = model instanceof SavedTrajectory; // a trajectory starts at a complete observation
            long rows = 0;
            for (BlockCheck c : blocks.map(b -> BlockCheck.of(b, times, fromFirst ? columns : null)).collect()) {
                if (c.problem() != null) {
                    throw new DataException(source + ": " + c.problem());
                }
                rows += c.rows();
            }
            rows *= model instanceof SavedLatent ? samples + 1 : 1;
            if (rows == 0) {
                throw new DataException(source + ": the input has no rows");
            }
            JavaRDD<Row> predicted = blocks.flatMap(new SeriesPredictor(
                    ModelDirectory.encodeSeries(model, TensorDtype.F64), times, samples, seed));
            return new Predictions(spark.createDataFrame(predicted, schema), rows, blocks);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    /**
     * One block's check, in one pass: its first problem (a time before a series starts; with {@code columns}, a
     * series whose first observation is incomplete) or null, and the rows its predictions make per path.
     */
    private record BlockCheck(String problem, long rows) implements java.io.Serializable {

        static BlockCheck of(SeriesBlock b, PredictionTimes times, List<String> columns) {
            String problem = times.problem(b);
            if (problem == null && columns != null) {
                problem = b.incompleteStart(columns);
            }
            return new BlockCheck(problem, times.rows(b));
        }
    }

    /**
     * The series (text) and time columns, a latent ODE's sample, then {@link #PREFIX} + each model column; no name
     * twice.
     */
    static StructType schema(SavedSeries model) {
        SeriesLayout layout = model.layout();
        StructType schema = new StructType().add(layout.seriesColumn(), DataTypes.StringType, false)
                .add(layout.timeColumn(), DataTypes.DoubleType, false);
        if (model instanceof SavedLatent) {
            schema = schema.add(SAMPLE, DataTypes.IntegerType, false);
        }
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
