package dev.odeflow.driver.train;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.util.function.LongConsumer;

/**
 * The trajectory fit ({@code model.kind = trajectory}) on series blocks: a minibatch's units are windows of
 * {@code model.window} observations, solved together from their first values with the masked L1/L2 loss of
 * {@link TrajectoryModel}; the metric is the RMSE of each series predicted whole from its first value.
 */
public final class TrajectoryObjective implements Objective<SeriesBlock> {

    private static final long serialVersionUID = 1L;

    /** Series per evaluation solve: an irregular union of times grows with the series solved together. */
    public static final int CHUNK_SERIES = 64;

    private final TrajectoryModel model;

    public TrajectoryObjective(TrajectoryModel model) {
        this.model = model;
    }

    public TrajectoryModel model() {
        return model;
    }

    @Override
    public int paramDim() {
        return model.parameterCount();
    }

    @Override
    public void addLossGradient(double[] w, SeriesBlock block, int[] units, long noiseSeed, LossGradient acc) {
        model.addLossGradient(w, block.windows(units), acc);
    }

    @Override
    public void addEvaluation(double[] w, SeriesBlock block, LongConsumer progress, LossGradient acc) {
        for (int from = 0; from < block.series(); from += CHUNK_SERIES) {
            int to = Math.min(block.series(), from + CHUNK_SERIES);
            model.addSquaredError(w, block.whole(from, to), acc);
            progress.accept(to - from);
        }
    }

    @Override
    public String metricName() {
        return "rmse";
    }

    /** √(mean squared error). */
    @Override
    public double metric(double meanEvaluation) {
        return Math.sqrt(meanEvaluation);
    }

    /** None: a batch's L1 or L2 loss includes each window's given first value, so it is no RMSE. */
    @Override
    public double batchMetric(double meanLoss) {
        return Double.NaN;
    }
}
