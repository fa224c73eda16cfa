package dev.odeflow.kernels.trajectory;

import java.util.Arrays;

/**
 * Windows of observed trajectories in R^d, each with its own observation times: window i holds observations
 * {@code offsets[i]} to {@code offsets[i + 1] − 1}; observation j is {@code values[j·d .. j·d + d)} at time
 * {@code times[j]}, relative to the window's first observation (so each window's times start at 0 and increase).
 * The arrays are owned by the record; callers must not modify them.
 */
public record Windows(int d, int[] offsets, double[] times, double[] values) {

    public Windows {
        if (d < 1 || offsets == null || offsets.length < 2 || offsets[0] != 0 || times == null || values == null
                || times.length != offsets[offsets.length - 1] || values.length != (long) times.length * d) {
            throw new IllegalArgumentException("windows need d >= 1, offsets from 0 to the observation count, and d"
                    + " values per observation");
        }
        for (int i = 0; i + 1 < offsets.length; i++) {
            int from = offsets[i];
            if (offsets[i + 1] - from < 2) {
                throw new IllegalArgumentException("window " + i + " has " + (offsets[i + 1] - from)
                        + " observations; a window needs at least 2");
            }
            if (times[from] != 0) {
                throw new IllegalArgumentException("window " + i + " starts at relative time " + times[from]
                        + ", not 0");
            }
            for (int j = from + 1; j < offsets[i + 1]; j++) {
                if (!(times[j] > times[j - 1]) || !Double.isFinite(times[j])) {
                    throw new IllegalArgumentException("window " + i + ": relative time " + times[j] + " after "
                            + times[j - 1] + "; times must increase");
                }
            }
        }
    }

    /** Number of windows. */
    public int count() {
        return offsets.length - 1;
    }

    /** Number of observations over all windows. */
    public int observations() {
        return times.length;
    }

    /** Each window's first value (count×d): where its predicted trajectory starts. */
    public double[] firstValues() {
        double[] y0 = new double[count() * d];
        for (int i = 0; i < count(); i++) {
            System.arraycopy(values, offsets[i] * d, y0, i * d, d);
        }
        return y0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Windows w && w.d == d && Arrays.equals(w.offsets, offsets) && Arrays.equals(w.times, times)
                && Arrays.equals(w.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets) * 31 + Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return count() + " windows, " + observations() + " observations in R^" + d;
    }
}
