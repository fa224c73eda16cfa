package dev.odeflow.driver.data;

import dev.odeflow.kernels.trajectory.Windows;

import java.util.Arrays;
import java.util.List;

/**
 * One partition's time series, each whole: series s has observations {@code offsets[s]} to
 * {@code offsets[s + 1] − 1}, at increasing {@code times} (its own, irregular or not) with d {@code values}
 * each (row-major). A minibatch draws windows: every run of {@code window} consecutive observations of a series
 * (a series shorter than that is one window) that starts at a complete observation, numbered series by series;
 * with {@link #WHOLE_SERIES} each series is one window. A missing value is NaN (the models mask it). The arrays
 * are owned by the block.
 *
 * <p>The window table (each window's first observation) is derived once, when the block is built, so that a
 * minibatch finds its windows without scanning the block.
 */
public final class SeriesBlock implements TrainingBlock {

    private static final long serialVersionUID = 1L;

    /** The window of a model that reads series whole (the latent ODE): each series is one unit. */
    public static final int WHOLE_SERIES = Integer.MAX_VALUE;

    private final List<String> ids;
    private final int d;
    private final int[] offsets;
    private final double[] times;
    private final double[] values;
    private final int window;
    /** Per window, by number: its first observation (increasing). */
    private final int[] windowStarts;

    /**
     * A block of series.
     *
     * @param ids     the series' names
     * @param d       values per observation
     * @param offsets per series its first observation, then the observation count (ids.size() + 1 entries,
     *                increasing: every series has an observation)
     * @param times   observation times (absolute)
     * @param values  observed values (NaN where missing)
     * @param window  observations per window, K >= 2, or {@link #WHOLE_SERIES}
     */
    public SeriesBlock(List<String> ids, int d, int[] offsets, double[] times, double[] values, int window) {
        this.ids = List.copyOf(ids);
        if (d < 1 || window < 2 || offsets.length != this.ids.size() + 1 || offsets[0] != 0
                || times.length != offsets[this.ids.size()] || values.length != (long) times.length * d) {
            throw new IllegalArgumentException("a series block needs d >= 1, a window >= 2, one offset per series"
                    + " plus the total, and d values per observation");
        }
        for (int s = 0; s + 1 < offsets.length; s++) {
            if (offsets[s + 1] <= offsets[s]) {
                throw new IllegalArgumentException("series " + s + " of a block has no observation");
            }
        }
        this.d = d;
        this.offsets = offsets;
        this.times = times;
        this.values = values;
        this.window = window;
        this.windowStarts = windowStarts();
    }

    public List<String> ids() {
        return ids;
    }

    public int d() {
        return d;
    }

    public int[] offsets() {
        return offsets;
    }

    public double[] times() {
        return times;
    }

    public double[] values() {
        return values;
    }

    public int window() {
        return window;
    }

    /** An empty block (a partition without series). */
    public static SeriesBlock empty(int d, int window) {
        return new SeriesBlock(List.of(), d, new int[] {0}, new double[0], new double[0], window);
    }

    /** Number of series. */
    public int series() {
        return ids.size();
    }

    /** Number of observations of series s. */
    public int length(int s) {
        return offsets[s + 1] - offsets[s];
    }

    /**
     * Each window's first observation: a series' complete observations among its first length − window + 1
     * (with {@link #WHOLE_SERIES}, its first observation).
     */
    private int[] windowStarts() {
        int[] starts = new int[times.length];
        int n = 0;
        for (int s = 0; s < series(); s++) {
            int last = window == WHOLE_SERIES ? 1 : Math.max(1, length(s) - window + 1);
            for (int k = 0; k < last; k++) {
                if (window == WHOLE_SERIES || complete(offsets[s] + k)) {
                    starts[n++] = offsets[s] + k;
                }
            }
        }
        return Arrays.copyOf(starts, n);
    }

    /** Whether observation j has every value (none missing). */
    private boolean complete(int j) {
        for (int c = 0; c < d; c++) {
            if (Double.isNaN(values[j * d + c])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why a series cannot be predicted from its first observation (one with a missing value, naming it), or
     * null: a trajectory fit starts every series and every window from a complete observation.
     */
    public String incompleteStart(List<String> columns) {
        for (int s = 0; s < series(); s++) {
            int j = offsets[s];
            if (!complete(j)) {
                List<String> missing = new java.util.ArrayList<>();
                for (int c = 0; c < d; c++) {
                    if (Double.isNaN(values[j * d + c])) {
                        missing.add(columns.get(c));
                    }
                }
                return "series '" + ids.get(s) + "' at t = " + times[j] + ": its first observation misses "
                        + missing + "; a trajectory fit starts each series from its first observation, which must"
                        + " be complete";
            }
        }
        return null;
    }

    /** The number of windows. */
    @Override
    public int units() {
        return windowStarts.length;
    }

    /** The listed windows (by number), each with its times relative to its first observation. */
    public Windows windows(int[] index) {
        int[] starts = new int[index.length];
        int[] lengths = new int[index.length];
        int[] out = new int[index.length + 1];
        for (int i = 0; i < index.length; i++) {
            starts[i] = windowStarts[index[i]];
            int pos = Arrays.binarySearch(offsets, starts[i]);
            int s = pos >= 0 ? pos : -pos - 2; // the series holding it: offsets increase
            lengths[i] = Math.min(window, offsets[s + 1] - starts[i]);
            out[i + 1] = out[i] + lengths[i];
        }
        return gather(starts, lengths, out);
    }

    /** Series {@code from} to {@code to − 1}, each whole, as windows (for evaluation). */
    public Windows whole(int from, int to) {
        int[] starts = new int[to - from];
        int[] lengths = new int[to - from];
        int[] out = new int[to - from + 1];
        for (int s = from; s < to; s++) {
            starts[s - from] = offsets[s];
            lengths[s - from] = length(s);
            out[s - from + 1] = out[s - from] + length(s);
        }
        return gather(starts, lengths, out);
    }

    private Windows gather(int[] starts, int[] lengths, int[] out) {
        double[] t = new double[out[out.length - 1]];
        double[] v = new double[t.length * d];
        for (int i = 0; i < starts.length; i++) {
            double t0 = times[starts[i]];
            for (int k = 0; k < lengths[i]; k++) {
                t[out[i] + k] = times[starts[i] + k] - t0;
            }
            System.arraycopy(values, starts[i] * d, v, out[i] * d, lengths[i] * d);
        }
        return new Windows(d, out, t, v);
    }

    /** Block {@code part} of the series dealt round-robin into {@code parts} blocks (a generated toy's partitions). */
    public SeriesBlock dealt(int part, int parts) {
        return select(s -> s % parts == part);
    }

    /** The series whose index passes {@code keep}, in order, as a new block. */
    public SeriesBlock select(java.util.function.IntPredicate keep) {
        List<String> kept = new java.util.ArrayList<>();
        int[] off = new int[series() + 1];
        int obs = 0;
        for (int s = 0; s < series(); s++) {
            if (keep.test(s)) {
                kept.add(ids.get(s));
                obs += length(s);
                off[kept.size()] = obs;
            }
        }
        double[] t = new double[obs];
        double[] v = new double[obs * d];
        int at = 0;
        for (int s = 0; s < series(); s++) {
            if (keep.test(s)) {
                System.arraycopy(times, offsets[s], t, at, length(s));
                System.arraycopy(values, offsets[s] * d, v, at * d, length(s) * d);
                at += length(s);
            }
        }
        return new SeriesBlock(kept, d, Arrays.copyOf(off, kept.size() + 1), t, v, window);
    }

    /** Why the delay embedding with lag k cannot be made (a series left with fewer than {@code min}), or null. */
    public String delayProblem(int k, int min) {
        for (int s = 0; s < series(); s++) {
            int left = length(s) - k;
            if (left < min) {
                return "series '" + ids.get(s) + "' has " + length(s) + " observation" + (length(s) == 1 ? "" : "s")
                        + "; the delay embedding (data.delay = " + k + ") leaves " + Math.max(0, left)
                        + ", and a series needs at least " + min;
            }
        }
        return null;
    }

    /**
     * The time-delay embedding with lag k (Takens): observation j of each series becomes (v_{j−k}, v_j), its d
     * values k observations earlier followed by its own, at its own time t_j; each series loses its first k
     * observations ({@link #delayProblem} says when one would keep fewer than {@code min}).
     */
    public SeriesBlock delayEmbedded(int k, int min) {
        String problem = k < 1 ? "the lag of a delay embedding must be >= 1, got " + k : delayProblem(k, min);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int[] off = new int[series() + 1];
        for (int s = 0; s < series(); s++) {
            off[s + 1] = off[s] + length(s) - k;
        }
        double[] t = new double[off[series()]];
        double[] v = new double[t.length * 2 * d];
        for (int s = 0; s < series(); s++) {
            for (int j = 0; j < length(s) - k; j++) {
                int from = offsets[s] + j;
                int to = off[s] + j;
                t[to] = times[from + k];
                System.arraycopy(values, from * d, v, to * 2 * d, d);
                System.arraycopy(values, (from + k) * d, v, to * 2 * d + d, d);
            }
        }
        return new SeriesBlock(ids, 2 * d, off, t, v, window);
    }

    /** The columns of the embedding with lag k: each as it was k observations earlier, then each as it is. */
    public static List<String> delayColumns(List<String> columns, int k) {
        List<String> out = new java.util.ArrayList<>();
        columns.forEach(c -> out.add(c + "(t-" + k + ")"));
        out.addAll(columns);
        return List.copyOf(out);
    }
}
