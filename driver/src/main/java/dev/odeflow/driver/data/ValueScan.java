package dev.odeflow.driver.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one pass over a table: reads the chosen columns of every row into dense per-split {@link Segment}s of
 * doubles (CSV text parsed on the way), counts the rows with a missing or NaN value, a value that is not a number,
 * or an infinite one, leaves them out, and finds the first of each by file and file-relative row. Rows are
 * numbered from 1 within their file (a CSV header is not a row): Spark's file splits
 * ({@code _metadata.file_block_start}) are put back in file order. A DataFrame that does not come straight from
 * files is numbered in partition order.
 */
public final class ValueScan {

    /**
     * The largest magnitude accepted, about sqrt(Double.MAX_VALUE): beyond it a value's square overflows, so
     * neither its log-density nor the column's variance can be computed.
     */
    public static final double LIMIT = 1e154;

    private ValueScan() {
    }

    /**
     * A value that is not usable.
     *
     * @param file   the file (a local path, or the URI for other file systems), or the data's name
     * @param row    1-based row within the file (the CSV header not counted)
     * @param column the column's name
     * @param value  the value (NaN for a missing one)
     * @param csv    whether the file is a CSV with a header line (then the line is row + 1)
     */
    public record Location(String file, long row, String column, double value, boolean csv) {

        /** {@code /data/x.csv: row 1500 (line 1501), column 'a'}. */
        public String describe() {
            return file + ": row " + row + (csv ? " (line " + (row + 1) + ")" : "") + ", column '" + column + "'";
        }
    }

    /**
     * A text value that is not a number, in a column read as text (a CSV column read without schema inference).
     *
     * @param at   where (its value NaN)
     * @param text the value, cut to 40 characters
     */
    public record Text(Location at, String text) {
    }

    /**
     * What a scan found.
     *
     * @param rows          rows scanned
     * @param missingRows   rows with a null or NaN value in a chosen column
     * @param infiniteRows  rows with an infinite value, or one beyond ±{@link #LIMIT}, (and no missing one) in a
     *                      chosen column
     * @param firstMissing  the first missing or NaN value, by file and row
     * @param firstInfinite the first infinite (or beyond ±{@link #LIMIT}) value, by file and row
     * @param textRows      rows with a text value that is not a number in a column read as text (not counted as
     *                      missing)
     * @param firstText     the first such value, by file and row
     */
    public record Report(long rows, long missingRows, long infiniteRows, Optional<Location> firstMissing,
                         Optional<Location> firstInfinite, long textRows, Optional<Text> firstText) {

        /** {@code " (first: /data/x.csv: row 17 (line 18), column 'b' is 'abc')"}, or empty. */
        public String firstTextText() {
            return firstText.map(t -> " (first: " + t.at().describe() + " is '" + t.text() + "')").orElse("");
        }

        /** Fails on an infinite value or one beyond ±{@link #LIMIT}, naming file, row, column and value. */
        public void failOnInfinite() {
            firstInfinite.ifPresent(l -> {
                throw new DataException(l.describe() + " is " + l.value() + (Double.isInfinite(l.value())
                        ? "; only finite numbers are accepted"
                        : ", beyond ±" + LIMIT + " where its square overflows double precision; rescale the column")
                        + (infiniteRows > 1 ? " (" + infiniteRows + " rows have such a value)" : ""));
            });
        }

        /** {@code " (first: /data/x.csv: row 17 (line 18), column 'b')"}, or empty. */
        public String firstMissingText() {
            return firstMissing.map(l -> " (first: " + l.describe() + ")").orElse("");
        }
    }

    /**
     * The scan's outcome, with the rows it kept.
     *
     * @param report   what it found
     * @param segments the usable rows, one segment per file split read (persisted; the caller unpersists it)
     * @param order    the segments' summaries (no values) in table order: files by name, splits by offset
     */
    record Result(Report report, JavaRDD<Segment> segments, List<Segment> order) {
    }

    /**
     * Scans {@code cols} of {@code df} for unusable values. With {@code fromFiles} {@code df} must be the DataFrame
     * the file reader returned (its hidden {@code _metadata} column gives each row's file and split); otherwise
     * rows are numbered in partition order under the name {@code source}. A string column (a CSV column read as
     * text) is parsed here; others are cast to double by Spark.
     */
    public static Report scan(Dataset<Row> df, List<String> cols, String source, boolean fromFiles, boolean csv) {
        return summarize(ordered(segments(df, cols, source, fromFiles)), cols, fromFiles && csv);
    }

    /**
     * As {@link #scan}, keeping the usable rows in persisted segments. A CSV file ({@code df} its reader's
     * DataFrame, all columns text) is read as lines, split at commas and parsed here, which is several times
     * faster than Spark's CSV parser; if a line has a quote character, the table is read again with Spark's parser.
     */
    static Result read(Dataset<Row> df, List<String> cols, String source, boolean fromFiles, boolean csv) {
        if (fromFiles && csv) {
            Result lines = persisted(lines(df, cols, source), cols, true);
            if (lines.order().stream().noneMatch(s -> s.quoted)) {
                return lines;
            }
            lines.segments().unpersist(false);
        }
        return persisted(segments(df, cols, source, fromFiles), cols, fromFiles && csv);
    }

    private static Result persisted(JavaRDD<Segment> segments, List<String> cols, boolean csvLines) {
        segments.persist(StorageLevel.MEMORY_AND_DISK());
        List<Segment> order = ordered(segments);
        return new Result(summarize(order, cols, csvLines), segments, order);
    }

    /**
     * The CSV files at {@code path} as lines: in each file the first non-blank line is the header, blank lines are
     * skipped (as Spark's CSV reader does), and each other line is a row whose fields are split at commas.
     */
    private static JavaRDD<Segment> lines(Dataset<Row> csv, List<String> cols, String path) {
        List<String> header = Arrays.asList(csv.columns());
        int[] column = new int[header.size()];
        for (int f = 0; f < column.length; f++) {
            column[f] = cols.indexOf(header.get(f));
        }
        int d = cols.size();
        Dataset<Row> text = csv.sparkSession().read().text(path).select(functions.col("value"),
                functions.col("_metadata.file_path"), functions.col("_metadata.file_block_start"));
        return text.queryExecution().toRdd().toJavaRDD().mapPartitionsWithIndex((p, it) -> {
            List<Segment> out = new ArrayList<>();
            Segment cur = null;
            UTF8String file = null;
            boolean atHeader = false;
            while (it.hasNext()) {
                InternalRow r = it.next();
                long start = r.getLong(2);
                if (cur == null || cur.key.start() != start || !file.equals(r.getUTF8String(1))) {
                    file = r.getUTF8String(1).clone();
                    cur = new Segment(new Segment.Key(displayName(file.toString()), start), p, d);
                    out.add(cur);
                    atHeader = start == 0;
                }
                UTF8String line = r.getUTF8String(0);
                if (line.trimAll().numBytes() == 0) {
                    continue;
                }
                if (atHeader) {
                    atHeader = false;
                    continue;
                }
                cur.addLine(line, column);
                if (cur.quoted) {
                    break;
                }
            }
            out.forEach(Segment::done);
            return out.iterator();
        }, true);
    }

    private static JavaRDD<Segment> segments(Dataset<Row> df, List<String> cols, String source, boolean fromFiles) {
        int d = cols.size();
        boolean[] text = new boolean[d];
        List<Column> sel = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            Column c = functions.col("`" + cols.get(j).replace("`", "``") + "`");
            text[j] = df.schema().apply(cols.get(j)).dataType() instanceof StringType;
            sel.add(text[j] ? c : c.cast(DataTypes.DoubleType));
        }
        if (fromFiles) {
            sel.add(functions.col("_metadata.file_path"));
            sel.add(functions.col("_metadata.file_block_start"));
        }
        JavaRDD<InternalRow> rows = df.select(sel.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD();
        return rows.mapPartitionsWithIndex((p, it) -> {
            List<Segment> out = new ArrayList<>();
            Segment cur = null;
            UTF8String file = null;
            while (it.hasNext()) {
                InternalRow r = it.next();
                long start = fromFiles ? r.getLong(d + 1) : p;
                if (cur == null || cur.key.start() != start || fromFiles && !file.equals(r.getUTF8String(d))) {
                    file = fromFiles ? r.getUTF8String(d).clone() : null;
                    cur = new Segment(new Segment.Key(fromFiles ? displayName(file.toString()) : source, start), p,
                            d);
                    out.add(cur);
                }
                cur.add(r, text);
            }
            out.forEach(Segment::done);
            return out.iterator();
        }, true);
    }

    /** The segments' summaries in table order: files by name, splits by offset. */
    private static List<Segment> ordered(JavaRDD<Segment> segments) {
        List<Segment> order = new ArrayList<>(segments.map(Segment::summary).collect());
        order.sort(Comparator.comparing((Segment s) -> s.key.file()).thenComparingLong(s -> s.key.start()));
        return List.copyOf(order);
    }

    private static Report summarize(List<Segment> order, List<String> cols, boolean csvLines) {
        long rows = 0;
        long missing = 0;
        long infinite = 0;
        long text = 0;
        Location firstMissing = null;
        Location firstInfinite = null;
        Text firstText = null;
        String file = null;
        long before = 0;
        for (Segment b : order) {
            if (!b.key.file().equals(file)) {
                file = b.key.file();
                before = 0;
            }
            rows += b.rows;
            missing += b.missingRows;
            infinite += b.infiniteRows;
            text += b.textRows;
            if (firstText == null && b.textAt >= 0) {
                firstText = new Text(new Location(file, before + b.textAt + 1, cols.get(b.textColumn), Double.NaN,
                        csvLines), b.text);
            }
            if (firstMissing == null && b.missingAt >= 0) {
                firstMissing = new Location(file, before + b.missingAt + 1, cols.get(b.missingColumn), Double.NaN,
                        csvLines);
            }
            if (firstInfinite == null && b.infiniteAt >= 0) {
                firstInfinite = new Location(file, before + b.infiniteAt + 1, cols.get(b.infiniteColumn),
                        b.infiniteValue, csvLines);
            }
            before += b.rows;
        }
        return new Report(rows, missing, infinite, Optional.ofNullable(firstMissing), Optional.ofNullable(firstInfinite),
                text, Optional.ofNullable(firstText));
    }

    /** A local path for {@code file:} URIs, the URI otherwise. */
    static String displayName(String file) {
        if (file.startsWith("file:")) {
            try {
                return java.nio.file.Path.of(URI.create(file)).toString();
            } catch (RuntimeException e) {
                return file;
            }
        }
        return file;
    }
}
