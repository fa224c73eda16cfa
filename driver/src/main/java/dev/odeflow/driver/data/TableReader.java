package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.DataConfig;
import dev.odeflow.driver.conf.DataFormat;
import dev.odeflow.driver.conf.NanPolicy;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the modelled columns of a Parquet or CSV (with header, all columns as text: no schema inference) table
 * through Spark SQL, checking that every chosen column exists and is numeric (or CSV text), and reads it with the
 * one pass of {@link ValueScan}, applying the NaN policy to rows with NaN, missing or non-numeric values.
 */
public final class TableReader {

    private static final Logger LOG = LoggerFactory.getLogger(TableReader.class);

    private TableReader() {
    }

    /**
     * The table's chosen columns, read into cached segments by the one pass, with the NaN policy applied.
     *
     * @param scan    the pass's outcome (its segments persisted: the caller unpersists them)
     * @param columns the chosen columns
     */
    record Table(ValueScan.Result scan, List<String> columns) {
    }

    /** Reads the table a data configuration names. */
    static Table read(SparkSession spark, DataConfig cfg) {
        return select(load(spark, cfg.path(), cfg.format()), cfg, true);
    }

    /**
     * The chosen columns of a DataFrame the caller already has (the Spark ML estimator's input), checked and
     * cleaned as for a file; {@code cfg.path()} names it in error messages.
     */
    static Table select(Dataset<Row> df, DataConfig cfg) {
        return select(df, cfg, false);
    }

    /** With {@code fromFile}, {@code df} is the file reader's DataFrame and errors give file-relative rows. */
    private static Table select(Dataset<Row> df, DataConfig cfg, boolean fromFile) {
        String path = cfg.path();
        List<String> available = Arrays.asList(df.columns());
        List<String> cols = cfg.columns().isEmpty() ? available : cfg.columns();
        if (cols.isEmpty()) {
            throw new DataException(path + ": the table has no columns");
        }
        for (String c : cols) {
            if (!available.contains(c)) {
                throw new DataException(path + ": no column '" + c + "'; the table has columns " + available);
            }
        }
        // A CSV file is read without schema inference (no extra pass): its columns are text, parsed by the scan,
        // which tells a value that is not a number from a missing one.
        boolean csvText = fromFile && cfg.format() == DataFormat.CSV;
        for (String c : cols) {
            StructField f = df.schema().apply(c);
            boolean text = csvText && f.dataType() instanceof StringType;
            if (!text && !(f.dataType() instanceof NumericType)) {
                throw new DataException(path + ": column '" + c + "' is " + f.dataType().simpleString()
                        + ", not numeric");
            }
        }
        ValueScan.Result result = ValueScan.read(df, cols, path, fromFile, cfg.format() == DataFormat.CSV);
        try {
            check(result.report(), cfg, cols);
        } catch (DataException e) {
            result.segments().unpersist(false);
            throw e;
        }
        return new Table(result, List.copyOf(cols));
    }

    /** Applies the NaN policy: fails on unusable rows, or logs how many were left out. */
    private static void check(ValueScan.Report scan, DataConfig cfg, List<String> cols) {
        String path = cfg.path();
        if (scan.rows() == 0) {
            throw new DataException(path + ": the data set is empty (no rows)");
        }
        if (scan.textRows() > 0 && (cfg.nanPolicy() == NanPolicy.FAIL || scan.textRows() == scan.rows())) {
            throw new DataException(path + ": " + scan.textRows() + " of " + scan.rows() + " rows have a value that"
                    + " is not numeric in columns " + cols + scan.firstTextText()
                    + (cfg.nanPolicy() == NanPolicy.FAIL ? "; set data.nan=drop to drop them" : ""));
        }
        if (scan.textRows() > 0) {
            LOG.warn("{}: dropped {} rows with a value that is not numeric (data.nan=drop){}", path, scan.textRows(),
                    scan.firstTextText());
        }
        scan.failOnInfinite();
        long badRows = scan.missingRows();
        if (badRows > 0 && cfg.nanPolicy() == NanPolicy.FAIL) {
            throw new DataException(path + ": " + badRows + " rows have NaN or missing values in columns "
                    + cols + scan.firstMissingText() + "; set data.nan=drop to drop them");
        }
        if (badRows > 0) {
            LOG.warn("{}: dropped {} rows with NaN or missing values (data.nan=drop)", path, badRows);
        }
        long dropped = badRows + scan.textRows();
        if (dropped == scan.rows()) {
            throw new DataException(path + ": the data set is empty (no rows left after dropping " + dropped
                    + " with NaN, missing or non-numeric values)");
        }
    }

    static Dataset<Row> load(SparkSession spark, String path, DataFormat format) {
        try {
            return switch (format) {
                case PARQUET -> spark.read().parquet(path);
                case CSV -> spark.read().option("header", "true").csv(path);
                case IDX -> throw new IllegalArgumentException("IDX files are images, read by ImageData");
            };
        } catch (Exception e) { // Spark's AnalysisException (PATH_NOT_FOUND etc.) is checked but undeclared
            throw new DataException("cannot read " + format.name().toLowerCase(java.util.Locale.ROOT) + " data "
                    + path + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
