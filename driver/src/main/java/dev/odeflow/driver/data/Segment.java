package dev.odeflow.driver.data;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The rows of one file split as one task read them ({@link ValueScan}): the usable rows' chosen columns as
 * doubles (n×d, row-major), and the rows with a missing, NaN, non-numeric or infinite value counted and left
 * out, with the first of each by its row within the segment.
 */
final class Segment implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where a segment starts: its file (or the data's name) and its byte offset (or partition). */
    record Key(String file, long start) implements Serializable {
    }

    final Key key;
    /** The input partition that read it. */
    final int partition;
    private final int d;
    private double[] values;
    int kept;
    /** Whether a CSV line had a quote character, which {@link #addLine} does not handle. */
    boolean quoted;
    long rows;
    long missingRows;
    long infiniteRows;
    long textRows;
    long missingAt = -1;
    int missingColumn;
    long infiniteAt = -1;
    int infiniteColumn;
    double infiniteValue;
    long textAt = -1;
    int textColumn;
    String text;

    Segment(Key key, int partition, int d) {
        this(key, partition, d, new double[d * 1024]);
    }

    private Segment(Key key, int partition, int d, double[] values) {
        this.key = key;
        this.partition = partition;
        this.d = d;
        this.values = values;
    }

    /** The kept rows (kept×d values); callers must not modify them. */
    double[] values() {
        return values;
    }

    /**
     * Reads one row: its columns 0..d-1 are doubles, or (where {@code text[j]}) CSV text parsed here. A row with
     * a bad value is counted (text before missing before infinite) and not kept.
     */
    void add(InternalRow r, boolean[] text) {
        grow();
        int at = kept * d;
        int txt = -1;
        String found = null;
        for (int j = 0; j < d; j++) {
            double v;
            if (r.isNullAt(j)) {
                v = Double.NaN;
            } else if (text[j]) {
                v = NumberText.parse(r.getUTF8String(j));
                if (v != v && txt < 0 && !NumberText.isMissing(r.getUTF8String(j))) {
                    txt = j;
                    found = r.getUTF8String(j).toString();
                }
            } else {
                v = r.getDouble(j);
            }
            values[at + j] = v;
        }
        classify(at, txt, found);
    }

    private void grow() {
        if ((long) (kept + 1) * d > values.length) {
            long size = Math.min((long) values.length * 2, Integer.MAX_VALUE - 8);
            if (size < (long) (kept + 1) * d) {
                throw new DataException(key.file() + ": a file split holds more than " + kept + " rows");
            }
            values = Arrays.copyOf(values, (int) size);
        }
    }

    /**
     * Counts the row just written at {@code at} (text {@code found} in column {@code txt} >= 0, before missing
     * before infinite), keeping it only when all its values are usable.
     */
    private void classify(int at, int txt, String found) {
        int miss = -1;
        int inf = -1;
        for (int j = d - 1; j >= 0; j--) {
            double v = values[at + j];
            if (v != v) {
                miss = j;
            } else if (!(Math.abs(v) <= ValueScan.LIMIT)) {
                inf = j;
            }
        }
        if (txt >= 0) {
            textRows++;
            if (textAt < 0) {
                textAt = rows;
                textColumn = txt;
                text = found.length() > 40 ? found.substring(0, 40) + "..." : found;
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
                infiniteValue = values[at + inf];
            }
        } else {
            kept++;
        }
        rows++;
    }

    /**
     * Reads one CSV line whose field f is column {@code column[f]} (-1: not chosen); a missing field is a missing
     * value. A line with a quote character is not read: it sets {@link #quoted}, and the caller reads the table with
     * Spark's CSV parser instead.
     */
    void addLine(UTF8String line, int[] column) {
        grow();
        int at = kept * d;
        for (int j = 0; j < d; j++) {
            values[at + j] = Double.NaN;
        }
        int n = line.numBytes();
        int txt = -1;
        String found = null;
        for (int f = 0, from = 0; from <= n && f < column.length; f++) {
            int to = from;
            byte c = 0;
            while (to < n && (c = line.getByte(to)) != ',' && c != '"') {
                to++;
            }
            if (c == '"') {
                quoted = true;
                return;
            }
            int j = column[f];
            if (j >= 0) {
                double v = NumberText.parse(line, from, to);
                values[at + j] = v;
                if (v != v && txt < 0 && !NumberText.isMissing(line, from, to)) {
                    txt = j;
                    found = NumberText.text(line, from, to).strip();
                }
            }
            from = to + 1;
        }
        classify(at, txt, found);
    }

    /** Trims the values to the kept rows once the segment is read; returns this. */
    Segment done() {
        values = Arrays.copyOf(values, kept * d);
        return this;
    }

    /** A copy without the values, for the driver. */
    Segment summary() {
        Segment s = new Segment(key, partition, d, new double[0]);
        s.kept = kept;
        s.quoted = quoted;
        s.rows = rows;
        s.missingRows = missingRows;
        s.infiniteRows = infiniteRows;
        s.textRows = textRows;
        s.missingAt = missingAt;
        s.missingColumn = missingColumn;
        s.infiniteAt = infiniteAt;
        s.infiniteColumn = infiniteColumn;
        s.infiniteValue = infiniteValue;
        s.textAt = textAt;
        s.textColumn = textColumn;
        s.text = text;
        return s;
    }
}
