package dev.odeflow.jobs.model;

import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.conf.TrajectoryOptions;
import dev.odeflow.driver.data.SeriesBlock;

import java.util.List;

/**
 * How the series a trajectory model was fitted to are laid out in a long table and embedded: the series and time
 * columns ({@code data.series}, {@code data.time}) and the lag k of the time-delay embedding ({@code data.delay},
 * 0 for none). With k > 0 the model's columns are the table's value columns k observations earlier, then as they
 * are ({@link SeriesBlock#delayColumns}).
 *
 * @param seriesColumn the column naming each observation's series
 * @param timeColumn   the column of observation times
 * @param delay        k of the delay embedding; 0 = none
 */
public record SeriesLayout(String seriesColumn, String timeColumn, int delay) {

    /** The training defaults: columns {@code series} and {@code t}, no embedding. */
    public static final SeriesLayout DEFAULT = new SeriesLayout(TrainKey.DATA_SERIES.defaultValue(),
            TrainKey.DATA_TIME.defaultValue(), 0);

    public SeriesLayout {
        if (seriesColumn == null || seriesColumn.isBlank() || timeColumn == null || timeColumn.isBlank()
                || seriesColumn.equals(timeColumn)) {
            throw new IllegalArgumentException("a series layout needs two different column names, got '"
                    + seriesColumn + "' and '" + timeColumn + "'");
        }
        if (delay < 0) {
            throw new IllegalArgumentException("the delay of the embedding must be >= 0 observations, got " + delay);
        }
    }

    /** The layout a training configuration read its series with. */
    public static SeriesLayout of(TrajectoryOptions options) {
        return new SeriesLayout(options.seriesColumn(), options.timeColumn(), options.delay());
    }

    /**
     * The table's value columns behind {@code modelColumns}: the same, or with a delay their second half; fails
     * unless the model's columns are those the embedding names.
     */
    public List<String> observedColumns(List<String> modelColumns) {
        if (delay == 0) {
            return List.copyOf(modelColumns);
        }
        List<String> observed = modelColumns.subList(modelColumns.size() / 2, modelColumns.size());
        if (modelColumns.size() % 2 != 0 || !SeriesBlock.delayColumns(observed, delay).equals(modelColumns)) {
            throw new IllegalArgumentException("the columns " + modelColumns + " are not those of a delay embedding"
                    + " with " + TrainKey.DATA_DELAY.key() + " = " + delay + " (each column as it was " + delay
                    + " observations earlier, then each as it is)");
        }
        return List.copyOf(observed);
    }
}
