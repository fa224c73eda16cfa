package dev.odeflow.driver.train;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.trajectory.Windows;

import java.util.function.LongConsumer;

/**
 * What the time-series objectives share ({@link TrajectoryObjective}, {@link LatentObjective}): an evaluation that
 * sums squared errors over a block's whole series, {@link #CHUNK_SERIES} at a time, and reports their RMSE.
 */
public abstract class SeriesObjective implements Objective<SeriesBlock> {

    private static final long serialVersionUID = 1L;

    /** Series per evaluation solve: an irregular union of times grows with the series solved together. */
    public static final int CHUNK_SERIES = 64;

    /** Adds the squared error of the whole series of {@code w} and the number of values it is over into acc. */
    protected abstract void addSquaredError(double[] w, Windows series, LossGradient acc);

    @Override
    public final void addEvaluation(double[] w, SeriesBlock block, LongConsumer progress, LossGradient acc) {
        for (int from = 0; from < block.series(); from += CHUNK_SERIES) {
            int to = Math.min(block.series(), from + CHUNK_SERIES);
            addSquaredError(w, block.whole(from, to), acc);
            progress.accept(to - from);
        }
    }

    /** √(mean squared error). */
    @Override
    public final double metric(double meanEvaluation) {
        return Math.sqrt(meanEvaluation);
    }

    /** None: a batch's loss (an L1/L2 loss with the given first values, a negative ELBO) is no RMSE. */
    @Override
    public final double batchMetric(double meanLoss) {
        return Double.NaN;
    }
}
