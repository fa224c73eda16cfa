package dev.odeflow.kernels.latent;

import dev.odeflow.kernels.trajectory.UnionTimes;
import dev.odeflow.kernels.trajectory.Windows;

/**
 * A batch of series seen by the latent model: each series' context (the observations with relative time
 * t ≤ context · t_last, at least the first) and where each observation falls in the union of the batch's
 * times, on which the latent path is computed once.
 *
 * @param w       the series (times relative to each series' first observation)
 * @param union   the union of their times
 * @param context per series, how many of its first observations the encoder reads
 */
record LatentBatch(Windows w, UnionTimes union, int[] context) {

    /** Relative slack on the context's end, so that a grid time equal to the cut counts as inside. */
    private static final double SLACK = 1e-9;

    static LatentBatch of(Windows w, double contextFraction) {
        int[] c = new int[w.count()];
        for (int i = 0; i < w.count(); i++) {
            int from = w.offsets()[i];
            int to = w.offsets()[i + 1];
            double cut = contextFraction * w.times()[to - 1] * (1 + SLACK);
            int k = 1;
            while (from + k < to && w.times()[from + k] <= cut) {
                k++;
            }
            c[i] = k;
        }
        return new LatentBatch(w, UnionTimes.of(w), c);
    }

    int count() {
        return w.count();
    }

    /** Whether observation j (global index) of series i is in its context. */
    boolean inContext(int i, int j) {
        return j - w.offsets()[i] < context[i];
    }
}
