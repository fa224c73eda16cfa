package dev.odeflow.driver;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.train.Objective;

import java.util.List;

/**
 * What a time-series kind gives {@link SeriesTrainer} once the data's dimension is known: its model, the training
 * objective, the initial parameters and the metrics evaluated on every split at the end.
 *
 * @param model    the kernel model
 * @param training the objective the loop minimizes (its metric is the periodic validation metric)
 * @param initial  the initial parameters
 * @param finals   the final metrics, in report order
 * @param <M>      the model type
 */
public record SeriesFit<M>(M model, Objective<SeriesBlock> training, double[] initial, List<Final> finals) {

    public SeriesFit {
        initial = initial.clone();
        finals = List.copyOf(finals);
        if (finals.isEmpty()) {
            throw new IllegalArgumentException("a series fit needs at least one final metric");
        }
    }

    @Override
    public double[] initial() {
        return initial.clone();
    }

    /**
     * One final metric.
     *
     * @param label     how the console and errors name it ("RMSE", "interp RMSE")
     * @param objective the objective whose evaluation gives it
     */
    public record Final(String label, Objective<SeriesBlock> objective) {
    }
}
