package dev.odeflow.jobs.model;

import dev.odeflow.kernels.trajectory.TrajectoryModel;

import java.util.List;

/**
 * A fitted trajectory model ({@code model.kind = trajectory}) as stored in a model directory: the model, its flat
 * parameter vector in the field's layout order, the names of its columns and the layout of the series it was fitted
 * to. Immutable.
 *
 * @param model   the field, loss and solvers
 * @param weights the parameters ({@code net.0.weight}, {@code net.0.bias}, ...)
 * @param columns the model's columns, one per dimension (with a delay embedding, its columns)
 * @param layout  the series and time columns and the delay embedding
 */
public record SavedTrajectory(TrajectoryModel model, double[] weights, List<String> columns, SeriesLayout layout)
        implements SavedSeries {

    public SavedTrajectory {
        if (model == null || weights == null || columns == null || layout == null) {
            throw new IllegalArgumentException("a saved trajectory model needs a model, weights, column names and a"
                    + " series layout");
        }
        if (weights.length != model.parameterCount() || columns.size() != model.dim()) {
            throw new IllegalArgumentException("the model has " + model.parameterCount() + " parameters and dimension "
                    + model.dim() + ", got " + weights.length + " weights and " + columns.size() + " columns");
        }
        weights = weights.clone();
        columns = List.copyOf(columns);
        layout.observedColumns(columns);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The trajectory from y0 at the given times (evaluation solver). */
    public double[][] predict(double[] y0, double[] times) {
        return model.predict(weights, y0, times);
    }

    /** The field at n points (n×d). */
    public double[] velocities(double[] points, int n) {
        return model.velocities(weights, points, n);
    }
}
