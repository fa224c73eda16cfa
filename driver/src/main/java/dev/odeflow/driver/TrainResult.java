package dev.odeflow.driver;

import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.data.Standardization;
import dev.odeflow.driver.metrics.RunStats;
import dev.odeflow.kernels.model.CnfModel;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link CnfTrainer#train}.
 *
 * @param parameters      final w (block after block: FFJORD tensor order, then the block's {@code sqrt_end_time}),
 *                        in standardized data space
 * @param model           the model (architecture and solver settings) w belongs to
 * @param standardization the transform from data space to the model's space (identity when off)
 * @param columns         the modelled columns, in order (x0, x1 for toys)
 * @param endTime         the final total time Σ_k T_k (one block: T = sqrt_end_time²)
 * @param finalLoss       mean training loss of the last iteration (standardized space), NaN if none ran
 * @param valNll          validation NLL in data space after training (NaN without a validation split)
 * @param testNll         test NLL in data space (NaN without a test split)
 * @param iterations      completed iterations (including those before a resume)
 * @param wallSeconds     wall time of this call's training loop
 * @param metricsFile     the metrics.jsonl written, if output.dir was set
 * @param lastCheckpoint  the newest checkpoint file written or resumed from, if any
 * @param finalState      the checkpoint of the last iteration (written to disk only if {@code lastCheckpoint} is
 *                        at that iteration): what a caller saves when its own final write fails
 * @param stats           where the time and the solver work went
 */
public record TrainResult(double[] parameters, CnfModel model, Standardization standardization, List<String> columns,
                          double endTime, double finalLoss, double valNll, double testNll, long iterations,
                          double wallSeconds, Optional<String> metricsFile, Optional<String> lastCheckpoint,
                          Checkpoint finalState, RunStats stats) implements TrainingOutcome {

    public TrainResult {
        parameters = parameters.clone();
        columns = List.copyOf(columns);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }
}
