package dev.odeflow.kernels.trajectory;

import java.util.Arrays;

/**
 * The sorted union of the windows' relative times, on which a batch is solved once, and where each observation
 * falls in it. Times closer than {@link #MERGE} (relative) are one time: a shared grid's differences
 * t_{j+k} − t_j differ in their last bits from window to window and must not become separate solver times.
 *
 * @param times       the union, increasing, from 0
 * @param index       per observation of the windows, its entry of {@code times}
 */
public record UnionTimes(double[] times, int[] index) {

    /** Relative distance under which two times are the same observation time. */
    static final double MERGE = 1e-9;

    public static UnionTimes of(Windows w) {
        int m = w.observations();
        Integer[] order = new Integer[m];
        for (int j = 0; j < m; j++) {
            order[j] = j;
        }
        double[] t = w.times();
        Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
        double[] union = new double[m];
        int[] index = new int[m];
        int u = -1;
        for (int k = 0; k < m; k++) {
            double v = t[order[k]];
            if (u < 0 || v - union[u] > MERGE * Math.max(1, Math.abs(v))) {
                union[++u] = v;
            }
            index[order[k]] = u;
        }
        return new UnionTimes(Arrays.copyOf(union, u + 1), index);
    }
}
