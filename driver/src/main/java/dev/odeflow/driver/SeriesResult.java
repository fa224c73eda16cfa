package dev.odeflow.driver;

import dev.odeflow.driver.checkpoint.Checkpoint;
import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.metrics.RunStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@link SeriesTrainer} (a trajectory fit or a latent ODE).
 *
 * @param parameters     final w in the model's layout order
 * @param model          the model w belongs to
 * @param columns        the observed value columns (x0, x1 for the toys)
 * @param finalLoss      mean loss per unit of the last iteration's batch, NaN if none ran
 * @param metrics        per final metric (by its name in metrics.jsonl: rmse, interp_rmse, extrap_rmse), its value
 *                       on the train, validation and test series (NaN for a split without series)
 * @param metricsLine    the final metrics as the console reports them ("RMSE train a, val b, test c"; groups
 *                       separated by "; ")
 * @param iterations     completed iterations (including those before a resume)
 * @param wallSeconds    wall time of this call's training loop
 * @param metricsFile    the metrics.jsonl written, if output.dir was set
 * @param lastCheckpoint the newest checkpoint written or resumed from, if any
 * @param finalState     the checkpoint of the last iteration (see {@link TrainResult#finalState()})
 * @param stats          where the time and the solver work went (rows: series per split)
 * @param shown          the first test series, or without any the first training series (at most
 *                       {@link SeriesTrainer#SHOWN_SERIES}), for pictures
 * @param <M>            the model type
 */
public record SeriesResult<M>(double[] parameters, M model, List<String> columns, double finalLoss,
                              Map<String, double[]> metrics, String metricsLine, long iterations, double wallSeconds,
                              Optional<String> metricsFile, Optional<String> lastCheckpoint, Checkpoint finalState,
                              RunStats stats, SeriesBlock shown) implements TrainingOutcome {

    public SeriesResult {
        parameters = parameters.clone();
        columns = List.copyOf(columns);
        Map<String, double[]> copy = new LinkedHashMap<>();
        metrics.forEach((k, v) -> copy.put(k, v.clone()));
        metrics = java.util.Collections.unmodifiableMap(copy);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    /** The train, validation and test values of the final metric {@code name}. */
    public double[] metric(String name) {
        double[] v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no final metric '" + name + "'; have " + metrics.keySet());
        }
        return v.clone();
    }
}
