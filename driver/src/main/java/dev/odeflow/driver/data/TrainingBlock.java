package dev.odeflow.driver.data;

import java.io.Serializable;

/**
 * One partition's cached data, whatever its kind: a minibatch draws {@link #units()} units from it (the rows of
 * a {@link DataBlock}, the windows of a {@link SeriesBlock}) through the {@link MinibatchPlan}.
 */
public interface TrainingBlock extends Serializable {

    /** How many units a minibatch can draw from this block. */
    int units();
}
