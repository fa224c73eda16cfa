package dev.odeflow.driver.conf;

import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.TrajectoryLoss;

import java.io.Serializable;

import static dev.odeflow.driver.conf.KeyReads.at;
import static dev.odeflow.driver.conf.KeyReads.atLeastOne;
import static dev.odeflow.driver.conf.KeyReads.integer;
import static dev.odeflow.driver.conf.KeyReads.nonNegative;
import static dev.odeflow.driver.conf.KeyReads.str;

/**
 * The settings only {@code model.kind = trajectory} reads: the time-series table's layout and the fit.
 *
 * @param seriesColumn the column naming each observation's series
 * @param timeColumn   the column of observation times
 * @param window       K: observations per training window (a shorter series is one window)
 * @param loss         L1 (ode_demo) or L2 per observed value
 * @param input        what the field's network sees of y
 * @param delay        k of the time-delay embedding (v_{j-k}, v_j); 0 = none
 */
public record TrajectoryOptions(String seriesColumn, String timeColumn, int window, TrajectoryLoss loss,
                                InputTransform input, int delay) implements Serializable {

    public TrajectoryOptions {
        if (seriesColumn == null || seriesColumn.isBlank() || timeColumn == null || timeColumn.isBlank()
                || seriesColumn.equals(timeColumn) || loss == null || input == null) {
            throw new IllegalArgumentException("trajectory options need two different column names, a loss and an"
                    + " input transform");
        }
        if (window < 2) {
            throw new IllegalArgumentException("a window needs at least 2 observations, got " + window);
        }
        if (delay < 0) {
            throw new IllegalArgumentException("the delay of the embedding must be >= 0 observations, got " + delay);
        }
    }

    /** A copy whose training units are windows of {@code k} observations. */
    public TrajectoryOptions withWindow(int k) {
        return new TrajectoryOptions(seriesColumn, timeColumn, k, loss, input, delay);
    }

    /** The options the keys of {@code c} give; errors name the key and its origin. */
    static TrajectoryOptions read(JobConf c) {
        String series = str(c, TrainKey.DATA_SERIES).strip();
        String time = at(c, TrainKey.DATA_TIME, () -> {
            String t = str(c, TrainKey.DATA_TIME).strip();
            if (t.isEmpty() || t.equals(series)) {
                throw new IllegalArgumentException("must name a column other than " + TrainKey.DATA_SERIES.key());
            }
            return t;
        });
        int window = at(c, TrainKey.MODEL_WINDOW, () -> {
            int k = atLeastOne(integer(c, TrainKey.MODEL_WINDOW));
            if (k < 2) {
                throw new IllegalArgumentException("a window needs at least 2 observations");
            }
            return k;
        });
        TrajectoryLoss loss = at(c, TrainKey.MODEL_LOSS, () -> TrajectoryLoss.parse(str(c, TrainKey.MODEL_LOSS)));
        InputTransform input = at(c, TrainKey.MODEL_INPUT, () -> InputTransform.parse(str(c, TrainKey.MODEL_INPUT)));
        int delay = nonNegative(c, TrainKey.DATA_DELAY);
        return new TrajectoryOptions(series.isEmpty() ? TrainKey.DATA_SERIES.defaultValue() : series, time, window,
                loss, input, delay);
    }
}
