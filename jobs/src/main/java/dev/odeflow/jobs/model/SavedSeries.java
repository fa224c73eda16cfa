package dev.odeflow.jobs.model;

import java.util.List;

/** A trained time-series model as a model directory stores it: a trajectory fit or a latent ODE. */
public sealed interface SavedSeries permits SavedTrajectory, SavedLatent {

    /** The parameters, in the model's layout order. */
    double[] weights();

    /** The model's value columns, one per dimension. */
    List<String> columns();

    /** How its series were laid out in their table and embedded. */
    SeriesLayout layout();

    /** The table's value columns the model reads (its columns, or those its delay embedding is made of). */
    default List<String> observedColumns() {
        return layout().observedColumns(columns());
    }
}
