package dev.odeflow.driver.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pass over the chosen numeric columns of a table that counts the rows with a missing or NaN value and the
 * rows with an infinite value, and finds the first of each by file and file-relative row. Rows are numbered from
 * 1 within their file (a CSV header is not a row): Spark's file splits ({@code _metadata.file_block_start}) are
 * put back in file order. A DataFrame that does not come straight from files is numbered in partition order.
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
     * Scans {@code cols} of {@code df}. With {@code fromFiles} {@code df} must be the DataFrame the file reader
     * returned (its hidden {@code _metadata} column gives each row's file and split); otherwise rows are
     * numbered in partition order under the name {@code source}.
     */
    public static Report scan(Dataset<Row> df, List<String> cols, String source, boolean fromFiles, boolean csv) {
        int d = cols.size();
        List<Column> sel = new ArrayList<>();
        for (String c : cols) {
            sel.add(functions.col("`" + c.replace("`", "``") + "`").try_cast(DataTypes.DoubleType));
        }
        if (fromFiles) {
            sel.add(functions.col("_metadata.file_path"));
            sel.add(functions.col("_metadata.file_block_start"));
        }
        int[] raw = new int[d]; // where a text column's own value is, to tell text from a missing value
        for (int j = 0; j < d; j++) {
            raw[j] = -1;
            if (df.schema().apply(cols.get(j)).dataType() instanceof org.apache.spark.sql.types.StringType) {
                raw[j] = sel.size();
                sel.add(functions.col("`" + cols.get(j).replace("`", "``") + "`"));
            }
        }
        List<Block> blocks = df.select(sel.toArray(new Column[0])).toJavaRDD()
                .mapPartitionsWithIndex((p, it) -> {
                    List<Block> out = new ArrayList<>();
                    Block cur = null;
                    while (it.hasNext()) {
                        Row r = it.next();
                        String file = fromFiles ? r.getString(d) : source;
                        long start = fromFiles ? r.getLong(d + 1) : p;
                        if (cur == null || cur.start != start || !cur.file.equals(file)) {
                            cur = new Block(file, start);
                            out.add(cur);
                        }
                        cur.add(r, d, raw);
                    }
                    return out.iterator();
                }, false).collect();
        return summarize(blocks, cols, fromFiles, csv);
    }

    private static Report summarize(List<Block> blocks, List<String> cols, boolean fromFiles, boolean csv) {
        Map<String, List<Block>> byFile = new LinkedHashMap<>();
        for (Block b : blocks) {
            byFile.computeIfAbsent(b.file, f -> new ArrayList<>()).add(b);
        }
        long rows = 0;
        long missing = 0;
        long infinite = 0;
        long text = 0;
        Location firstMissing = null;
        Location firstInfinite = null;
        Text firstText = null;
        for (String file : byFile.keySet().stream().sorted().toList()) {
            List<Block> bs = new ArrayList<>(byFile.get(file));
            bs.sort(Comparator.comparingLong(b -> b.start));
            String name = fromFiles ? displayName(file) : file;
            long before = 0;
            for (Block b : bs) {
                rows += b.rows;
                missing += b.missingRows;
                infinite += b.infiniteRows;
                text += b.textRows;
                if (firstText == null && b.textAt >= 0) {
                    firstText = new Text(new Location(name, before + b.textAt + 1, cols.get(b.textColumn), Double.NaN,
                            csv && fromFiles), b.text);
                }
                if (firstMissing == null && b.missingAt >= 0) {
                    firstMissing = new Location(name, before + b.missingAt + 1, cols.get(b.missingColumn), Double.NaN,
                            csv && fromFiles);
                }
                if (firstInfinite == null && b.infiniteAt >= 0) {
                    firstInfinite = new Location(name, before + b.infiniteAt + 1, cols.get(b.infiniteColumn),
                            b.infiniteValue, csv && fromFiles);
                }
                before += b.rows;
            }
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

    /** The rows of one file split, in file order, as one task read them. */
    private static final class Block implements Serializable {
        private static final long serialVersionUID = 1L;
        final String file;
        final long start;
        long rows;
        long missingRows;
        long infiniteRows;
        long missingAt = -1;
        int missingColumn;
        long infiniteAt = -1;
        int infiniteColumn;
        double infiniteValue;
        long textRows;
        long textAt = -1;
        int textColumn;
        String text;

        Block(String file, long start) {
            this.file = file;
            this.start = start;
        }

        void add(Row r, int d, int[] raw) {
            int miss = -1;
            int inf = -1;
            int txt = -1;
            for (int j = 0; j < d; j++) {
                if (r.isNullAt(j) && raw[j] >= 0 && !r.isNullAt(raw[j])) {
                    txt = txt < 0 ? j : txt;
                } else if (r.isNullAt(j) || Double.isNaN(r.getDouble(j))) {
                    miss = miss < 0 ? j : miss;
                } else if (!(Math.abs(r.getDouble(j)) <= LIMIT)) {
                    inf = inf < 0 ? j : inf;
                }
            }
            if (txt >= 0) {
                textRows++;
                if (textAt < 0) {
                    textAt = rows;
                    textColumn = txt;
                    String v = r.getString(raw[txt]);
                    text = v.length() > 40 ? v.substring(0, 40) + "..." : v;
                }
            } else if (miss >= 0) {
                missingRows++;
                if (missingAt < 0) {
                    missingAt = rows;
                    missingColumn = miss;
                }
            } else if (inf >= 0) {
                infiniteRows++;
                if (infiniteAt < 0) {
                    infiniteAt = rows;
                    infiniteColumn = inf;
                    infiniteValue = r.getDouble(inf);
                }
            }
            rows++;
        }
    }
}
