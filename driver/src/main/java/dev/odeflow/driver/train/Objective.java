package dev.odeflow.driver.train;

import dev.odeflow.driver.data.TrainingBlock;
import dev.odeflow.kernels.model.LossGradient;

import java.io.Serializable;
import java.util.function.LongConsumer;

/**
 * What the executors evaluate for one model kind on its kind of block: a summed loss with its gradient over a
 * minibatch's units, and a summed evaluation metric over a whole block. The CNF's is {@link CnfObjective} (rows,
 * NLL), the trajectory fit's {@link TrajectoryObjective} (windows, RMSE); the loop itself only needs this contract.
 *
 * @param <B> the block type the objective reads
 */
public interface Objective<B extends TrainingBlock> extends Serializable {

    /** Number of parameters. */
    int paramDim();

    /**
     * Adds the summed loss over the listed units of {@code block} and its gradient w.r.t. w into acc (its count is
     * what the loss is a sum over: the mean loss is lossSum / count); noise, if any, from noiseSeed.
     */
    void addLossGradient(double[] w, B block, int[] units, long noiseSeed, LossGradient acc);

    /**
     * Adds the evaluation sum over all of {@code block} and what it is a sum over (lossSum and count of acc, a
     * gradient of length 0), reporting evaluated units to {@code progress} as it goes.
     */
    void addEvaluation(double[] w, B block, LongConsumer progress, LossGradient acc);

    /** The metric's name in metrics.jsonl ({@code train_<name>}, {@code val_<name>}): nll, rmse. */
    String metricName();

    /** The metric a mean evaluation sum stands for (CNF: the NLL in data space; trajectory: the RMSE). */
    double metric(double meanEvaluation);

    /** The metric of a training batch with mean loss {@code meanLoss}; NaN when the loss gives none. */
    double batchMetric(double meanLoss);

    /**
     * Indices of w that the optimizer must leave unchanged (the loop restores them after each update, so that
     * weight decay or momentum cannot move them either); none by default.
     */
    default int[] frozenParameters() {
        return new int[0];
    }

    /** The time the progress line and metrics report as {@code T} for parameters w; NaN when there is none. */
    default double reportedTime(double[] w) {
        return Double.NaN;
    }
}
