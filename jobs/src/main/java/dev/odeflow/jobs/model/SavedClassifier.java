package dev.odeflow.jobs.model;

import dev.odeflow.kernels.classifier.ClassifierModel;

/**
 * A trained image classifier ({@code model.kind = classifier}) as stored in a model directory: the model, its flat
 * parameter vector in the layout's order and the columns a Parquet table of images is read from. Immutable.
 *
 * @param model        the network (block, image shape, classes) and solvers
 * @param weights      the parameters under PyTorch's names ({@code 1.weight}, ...)
 * @param labelColumn  the label column it was trained with ({@code data.label})
 * @param pixelsColumn the pixel-array column ({@code data.pixels}), which {@code classify} reads
 */
public record SavedClassifier(ClassifierModel model, double[] weights, String labelColumn, String pixelsColumn) {

    public SavedClassifier {
        if (model == null || weights == null || labelColumn == null || labelColumn.isBlank() || pixelsColumn == null
                || pixelsColumn.isBlank()) {
            throw new IllegalArgumentException("a saved classifier needs a model, weights and its column names");
        }
        if (weights.length != model.parameterCount()) {
            throw new IllegalArgumentException("the " + model + " needs " + model.parameterCount()
                    + " parameters, got " + weights.length + " weights");
        }
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }
}
