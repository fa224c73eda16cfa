package dev.odeflow.driver.train;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import dev.odeflow.kernels.trajectory.Windows;

/**
 * The trajectory fit ({@code model.kind = trajectory}) on series blocks: a minibatch's units are windows of
 * {@code model.window} observations, solved together from their first values with the masked L1/L2 loss of
 * {@link TrajectoryModel}; the metric is the RMSE of each series predicted whole from its first value.
 */
public final class TrajectoryObjective extends SeriesObjective {

    private static final long serialVersionUID = 1L;

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
    protected void addSquaredError(double[] w, Windows series, LossGradient acc) {
        model.addSquaredError(w, series, acc);
    }

    @Override
    public String metricName() {
        return "rmse";
    }
}
