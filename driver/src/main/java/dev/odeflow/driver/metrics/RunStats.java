package dev.odeflow.driver.metrics;

import java.util.List;

/**
 * Where a training call's time and solver work went.
 *
 * @param dataSeconds       loading, splitting, standardizing and caching the data
 * @param trainSeconds      the training loop (periodic validation included)
 * @param evalSeconds       the final validation and test evaluation
 * @param iterations        iterations this call ran (a resumed run counts only its own)
 * @param nfeForward        forward dynamics evaluations over those iterations, summed over partitions
 * @param nfeBackward       backward dynamics evaluations, likewise
 * @param maxNfeForward     the most forward evaluations of one iteration
 * @param maxNfeBackward    the most backward evaluations of one iteration
 * @param rejectedSteps     rejected adaptive steps over those iterations
 * @param rows              rows of the train, validation and test splits
 */
public record RunStats(double dataSeconds, double trainSeconds, double evalSeconds, long iterations,
                       long nfeForward, long nfeBackward, long maxNfeForward, long maxNfeBackward,
                       long rejectedSteps, long[] rows) {

    public RunStats {
        rows = rows.clone();
    }

    @Override
    public long[] rows() {
        return rows.clone();
    }

    /** The statistics of one training call from its iteration history. */
    public static RunStats of(double dataSeconds, double trainSeconds, double evalSeconds,
                              List<IterationMetrics> history, long[] rows) {
        long f = 0;
        long b = 0;
        long mf = 0;
        long mb = 0;
        long rej = 0;
        for (IterationMetrics m : history) {
            f += m.nfeForward();
            b += m.nfeBackward();
            mf = Math.max(mf, m.nfeForward());
            mb = Math.max(mb, m.nfeBackward());
            rej += m.rejected();
        }
        return new RunStats(dataSeconds, trainSeconds, evalSeconds, history.size(), f, b, mf, mb, rej, rows);
    }
}
