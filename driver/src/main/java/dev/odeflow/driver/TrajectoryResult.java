package dev.odeflow.driver;

import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link TrajectoryTrainer#train}.
 *
 * @param parameters     final w in the field's layout order ({@code net.0.weight}, {@code net.0.bias}, ...)
 * @param model          the model w belongs to
 * @param columns        the observed value columns (x0, x1 for the toy)
 * @param finalLoss      mean L1/L2 loss per value of the last iteration's batch, NaN if none ran
 * @param rmse           the RMSE of the train, validation and test series, each predicted whole from its first
 *                       value (NaN for a split without series)
 * @param iterations     completed iterations (including those before a resume)
 * @param wallSeconds    wall time of this call's training loop
 * @param metricsFile    the metrics.jsonl written, if output.dir was set
 * @param lastCheckpoint the newest checkpoint written or resumed from, if any
 * @param finalState     the checkpoint of the last iteration (see {@link TrainResult#finalState()})
 * @param stats          where the time and the solver work went (rows: series per split)
 * @param shown          the first training series (at most {@link TrajectoryTrainer#SHOWN_SERIES}), for pictures
 */
public record TrajectoryResult(double[] parameters, TrajectoryModel model, List<String> columns, double finalLoss,
                               double[] rmse, long iterations, double wallSeconds, Optional<String> metricsFile,
                               Optional<String> lastCheckpoint, Checkpoint finalState, RunStats stats,
                               SeriesBlock shown) implements TrainingOutcome {

    public TrajectoryResult {
        parameters = parameters.clone();
        rmse = rmse.clone();
        columns = List.copyOf(columns);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] rmse() {
        return rmse.clone();
    }
}
