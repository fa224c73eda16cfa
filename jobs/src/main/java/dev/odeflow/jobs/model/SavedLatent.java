package dev.odeflow.jobs.model;

import dev.odeflow.kernels.latent.LatentOdeModel;

import java.util.List;

/**
 * A trained latent ODE ({@code model.kind = latent_ode}) as stored in a model directory: the model, its flat
 * parameter vector in the layout's order and the names of the observed columns. Immutable.
 *
 * @param model   the networks, likelihood noise, context share and solvers
 * @param weights the parameters ({@code encoder.gru.weight_ih}, ..., {@code decoder.2.bias})
 * @param columns the model's value columns, one per dimension (with a delay embedding, its columns)
 * @param layout  the series and time columns and the delay embedding
 */
public record SavedLatent(LatentOdeModel model, double[] weights, List<String> columns, SeriesLayout layout)
        implements SavedSeries {

    public SavedLatent {
        if (model == null || weights == null || columns == null || layout == null) {
            throw new IllegalArgumentException("a saved latent model needs a model, weights, column names and a series"
                    + " layout");
        }
        if (weights.length != model.parameterCount() || columns.size() != model.arch().dim()) {
            throw new IllegalArgumentException("the model has " + model.parameterCount() + " parameters and dimension "
                    + model.arch().dim() + ", got " + weights.length + " weights and " + columns.size() + " columns");
        }
        weights = weights.clone();
        columns = List.copyOf(columns);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }
}
