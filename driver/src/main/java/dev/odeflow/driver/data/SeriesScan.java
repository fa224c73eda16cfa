package dev.odeflow.driver.data;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Builds one partition's {@link SeriesBlock} from its rows (series name, time, values, then per value whether it
 * is missing in the table), sorted by series and time, and finds the first thing wrong with them: a missing series
 * name or time, a NaN, non-numeric or infinite value, an observation with every value missing, two observations
 * of a series at the same time, or a series with fewer observations than the caller needs (2 to train on it, 1 to
 * predict from it). A missing value (null in the table, an empty CSV cell) is kept as NaN: the models mask it.
 *
 * @param block   the partition's series (empty when there is a problem)
 * @param problem the first problem, naming the series, time and column; null when there is none
 */
record SeriesScan(SeriesBlock block, String problem) implements Serializable {

    /**
     * Scans rows whose column 0 is the series, 1 the time, 2.. the d values named {@code columns} (null where
     * missing or not a number) and then d flags, true where the table has no value; every series needs at least
     * {@code minObservations}.
     */
    static SeriesScan of(Iterator<Row> rows, List<String> columns, String timeColumn, int window,
                         int minObservations) {
        int d = columns.size();
        List<String> ids = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>(List.of(0));
        double[] times = new double[1024];
        double[] values = new double[1024 * d];
        int n = 0;
        String current = null;
        while (rows.hasNext()) {
            Row r = rows.next();
            if (r.isNullAt(0)) {
                return failed(d, window, "a row has no series name");
            }
            String id = r.getString(0);
            if (r.isNullAt(1) || !Double.isFinite(r.getDouble(1))) {
                return failed(d, window, "series '" + id + "': an observation has a missing or non-numeric time"
                        + " (column '" + timeColumn + "')");
            }
            double t = r.getDouble(1);
            if (!id.equals(current)) {
                String short1 = closeSeries(ids, offsets, current, n, times, minObservations);
                if (short1 != null) {
                    return failed(d, window, short1);
                }
                current = id;
                ids.add(id);
            } else if (t <= times[n - 1]) {
                return failed(d, window, "series '" + id + "': the times do not increase: two observations at t = "
                        + t + " (column '" + timeColumn + "')");
            }
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
                values = Arrays.copyOf(values, 2 * n * d);
            }
            times[n] = t;
            int observed = 0;
            for (int c = 0; c < d; c++) {
                boolean missing = r.getBoolean(2 + d + c);
                boolean unreadable = !missing && r.isNullAt(2 + c);
                double v = missing || unreadable ? Double.NaN : r.getDouble(2 + c);
                if (!missing && !Double.isFinite(v)) {
                    return failed(d, window, "series '" + id + "' at t = " + t + ": column '" + columns.get(c)
                            + "' is " + (unreadable ? "not a number" : String.valueOf(v)));
                }
                values[n * d + c] = v;
                observed += missing ? 0 : 1;
            }
            if (observed == 0) {
                return failed(d, window, "series '" + id + "' at t = " + t + ": every value (" + columns
                        + ") is missing; drop the row");
            }
            n++;
        }
        String short1 = closeSeries(ids, offsets, current, n, times, minObservations);
        if (short1 != null) {
            return failed(d, window, short1);
        }
        int[] off = offsets.stream().mapToInt(Integer::intValue).toArray();
        return new SeriesScan(new SeriesBlock(ids, d, off, Arrays.copyOf(times, n), Arrays.copyOf(values, n * d),
                window), null);
    }

    /** Ends series {@code id} at observation n; a problem if it has fewer than {@code min} observations. */
    private static String closeSeries(List<String> ids, List<Integer> offsets, String id, int n, double[] times,
                                      int min) {
        if (id == null) {
            return null;
        }
        int start = offsets.get(offsets.size() - 1);
        if (n - start < min) {
            int count = n - start;
            return "series '" + id + "' has " + count
                    + (count == 1 ? " observation (at t = " : " observations (from t = ") + times[start]
                    + "); a series needs at least " + min;
        }
        offsets.add(n);
        return null;
    }

    private static SeriesScan failed(int d, int window, String problem) {
        return new SeriesScan(SeriesBlock.empty(d, window), problem);
    }
}
