package dev.odeflow.jobs.model;

import dev.odeflow.driver.data.Standardization;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.model.LossGradient;

import java.util.List;

/**
 * A trained flow as stored in a model directory: the model (architecture and solver settings), its flat
 * parameter vector, the standardization it was trained under and the names of its input columns. Immutable;
 * the methods here work in data space. To ship one to executors, send its
 * {@link ModelDirectory#encode encoded} form.
 *
 * @param model   architecture and settings
 * @param weights the flat parameter vector in {@code model.layout()} order (block after block, each block's
 *                {@code sqrt_end_time} s_k last with T_k = s_k²)
 * @param scaling the standardization applied before the flow
 * @param columns input column names, one per dimension (x0, x1, ... when the data had none)
 */
public record SavedFlow(CnfModel model, double[] weights, Standardization scaling, List<String> columns) {

    public SavedFlow {
        if (model == null || weights == null || scaling == null || columns == null) {
            throw new IllegalArgumentException("a saved flow needs a model, weights, scaling and column names");
        }
        if (scaling.dim() != model.dim() || columns.size() != model.dim()) {
            throw new IllegalArgumentException("model dimension " + model.dim() + " does not match standardization ("
                    + scaling.dim() + ") or column names (" + columns.size() + ")");
        }
        weights = weights.clone();
        columns = List.copyOf(columns);
    }

    /** Default column names x0 .. x{d-1}. */
    public static List<String> defaultColumns(int dim) {
        return java.util.stream.IntStream.range(0, dim).mapToObj(i -> "x" + i).toList();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    public int dim() {
        return model.dim();
    }

    /** The total time Σ_k T_k (for one block, its end time T). */
    public double endTime() {
        return model.endTime(weights);
    }

    /** Each block's end time T_k. */
    public double[] endTimes() {
        return model.endTimes(weights);
    }

    /** The same flow with other solver settings. */
    public SavedFlow withSettings(CnfSettings settings) {
        return new SavedFlow(model.withSettings(settings), weights, scaling, columns);
    }

    /** The same flow with other weights. */
    public SavedFlow withWeights(double[] w) {
        return new SavedFlow(model, w, scaling, columns);
    }

    /** log p(x) per row in data space (exact trace, evaluation solver); x is n×d row-major. */
    public double[] logLikelihood(double[] x, int n) {
        double[] ll = model.logLikelihood(weights, scaling.apply(x), n);
        double shift = -scaling.logDetJacobian();
        for (int i = 0; i < ll.length; i++) {
            ll[i] -= shift;
        }
        return ll;
    }

    /** Maps base draws z ~ N(0, I) (n×d) to data-space samples. */
    public double[] sample(double[] z, int n) {
        return scaling.invert(model.sample(weights, z, n));
    }

    /**
     * The summed NLL of rows x (data space) and its gradient with respect to the weights, with the training
     * solver and gradient method. The sums are those of the standardized problem: add {@code count · Σ log std}
     * to the loss sum for data space (the gradient is the same).
     */
    public LossGradient lossGradient(double[] x, int n, long noiseSeed) {
        LossGradient acc = new LossGradient(weights.length);
        model.addLossGradient(weights, scaling.apply(x), n, noiseSeed, acc);
        return acc;
    }
}
