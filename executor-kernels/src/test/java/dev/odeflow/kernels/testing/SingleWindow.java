package dev.odeflow.kernels.testing;

import dev.odeflow.kernels.trajectory.Windows;

import java.util.Arrays;

/** One window of a batch on its own, for the tests that compare a batch with its windows solved alone. */
public final class SingleWindow {

    private SingleWindow() {
    }

    /** Window i of {@code all} as a batch of one. */
    public static Windows of(Windows all, int i) {
        int from = all.offsets()[i];
        int to = all.offsets()[i + 1];
        int d = all.d();
        return new Windows(d, new int[] {0, to - from}, Arrays.copyOfRange(all.times(), from, to),
                Arrays.copyOfRange(all.values(), d * from, d * to));
    }
}
