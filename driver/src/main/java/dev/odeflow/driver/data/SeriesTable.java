package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.DataConfig;
import dev.odeflow.driver.conf.DataFormat;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.conf.TrajectoryOptions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a long time-series table (a series column, a time column and value columns: Parquet or CSV with a header,
 * or the DataFrame a command read) through Spark SQL into one {@link SeriesBlock} per partition: rows are
 * hash-partitioned by series, so each series is whole in one partition, and sorted by time within it (the table's
 * row order does not matter). Every problem is a {@link DataException} naming the file, and where it applies the
 * series, the time and the column.
 */
public final class SeriesTable {

    /** Observations a series needs to be trained on: a window has at least two. */
    public static final int MIN_TRAINING_OBSERVATIONS = 2;

    private SeriesTable() {
    }

    /**
     * The blocks (persisted: the caller unpersists them) and the value columns.
     *
     * @param blocks  one block per partition
     * @param columns the value columns, in order
     */
    record Blocks(JavaRDD<SeriesBlock> blocks, List<String> columns) {
    }

    /**
     * The columns of a long table.
     *
     * @param series the column naming each observation's series
     * @param time   the column of observation times
     * @param values the value columns, in order (at least one)
     */
    public record Columns(String series, String time, List<String> values) implements java.io.Serializable {

        public Columns {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a series table needs at least one value column");
            }
        }
    }

    static Blocks read(SparkSession spark, DataConfig cfg, TrajectoryOptions opt, int partitions) {
        String path = cfg.path();
        Dataset<Row> df = TableReader.load(spark, path, cfg.format());
        List<String> available = Arrays.asList(df.columns());
        requireColumn(path, available, opt.seriesColumn(), TrainKey.DATA_SERIES.key());
        requireColumn(path, available, opt.timeColumn(), TrainKey.DATA_TIME.key());
        List<String> values = new ArrayList<>(cfg.columns());
        if (values.isEmpty()) {
            available.stream().filter(c -> !c.equals(opt.seriesColumn()) && !c.equals(opt.timeColumn()))
                    .forEach(values::add);
        }
        if (values.isEmpty()) {
            throw new DataException(path + ": no value columns besides '" + opt.seriesColumn() + "' and '"
                    + opt.timeColumn() + "'; the table has columns " + available);
        }
        Columns columns = new Columns(opt.seriesColumn(), opt.timeColumn(), values);
        return new Blocks(read(df, path, cfg.format() == DataFormat.CSV, columns, partitions, opt.window(),
                MIN_TRAINING_OBSERVATIONS), columns.values());
    }

    /**
     * Reads {@code df} ({@code path} names it in errors) into one block per partition, each series whole: the
     * columns must exist, differ from the series and time columns and be numeric (or, with {@code csvText}, text
     * that parses as numbers), and every series needs {@code minObservations}. The blocks are persisted: the
     * caller unpersists them.
     */
    public static JavaRDD<SeriesBlock> read(Dataset<Row> df, String path, boolean csvText, Columns columns,
                                            int partitions, int window, int minObservations) {
        List<String> available = Arrays.asList(df.columns());
        requireColumn(path, available, columns.series(), TrainKey.DATA_SERIES.key());
        requireColumn(path, available, columns.time(), TrainKey.DATA_TIME.key());
        for (String c : columns.values()) {
            requireColumn(path, available, c, TrainKey.DATA_COLUMNS.key());
            if (c.equals(columns.series()) || c.equals(columns.time())) {
                throw new DataException(path + ": " + TrainKey.DATA_COLUMNS.key() + " names '" + c
                        + "', which is the series or the time column");
            }
        }
        List<String> numeric = new ArrayList<>(columns.values());
        numeric.add(0, columns.time());
        for (String c : numeric) {
            DataType type = df.schema().apply(c).dataType();
            if (!(type instanceof NumericType) && !(csvText && type instanceof StringType)) {
                throw new DataException(path + ": column '" + c + "' is " + type.simpleString() + ", not numeric");
            }
        }
        List<Column> select = new ArrayList<>();
        select.add(functions.col(columns.series()).cast("string").as("s"));
        for (int i = 0; i < numeric.size(); i++) {
            select.add(functions.expr("try_cast(`" + numeric.get(i).replace("`", "``") + "` as double)").as("v" + i));
        }
        for (int i = 0; i < columns.values().size(); i++) { // a missing value (masked) is null before the cast
            select.add(functions.col(columns.values().get(i)).isNull().as("m" + i));
        }
        JavaRDD<Row> rows = df.select(select.toArray(new Column[0])).repartition(partitions, functions.col("s"))
                .sortWithinPartitions(functions.col("s").asc_nulls_first(), functions.col("v0").asc_nulls_first())
                .javaRDD();
        List<String> cols = columns.values();
        String time = columns.time();
        JavaRDD<SeriesScan> scans = rows.mapPartitions(it -> List.of(SeriesScan.of(it, cols, time, window,
                minObservations)).iterator()).persist(StorageLevel.MEMORY_AND_DISK());
        List<String> problems = scans.map(SeriesScan::problem).collect();
        for (String p : problems) {
            if (p != null) {
                scans.unpersist(false);
                throw new DataException(path + ": " + p);
            }
        }
        JavaRDD<SeriesBlock> blocks = scans.map(SeriesScan::block).persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count();
        scans.unpersist(false);
        return blocks;
    }

    private static void requireColumn(String path, List<String> available, String column, String key) {
        if (!available.contains(column)) {
            throw new DataException(path + ": no column '" + column + "' (" + key + "); the table has columns "
                    + available);
        }
    }
}
