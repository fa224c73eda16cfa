package dev.odeflow.driver.train;

import dev.odeflow.driver.data.ImageBlock;
import dev.odeflow.kernels.classifier.Classification;
import dev.odeflow.kernels.classifier.ClassifierArchitecture;
import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.model.LossGradient;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The image classifier ({@code model.kind = classifier}) on image blocks, delegated to the kernel's
 * {@link ClassifierModel}: a minibatch's units are images, the loss their summed softmax cross-entropy (its NFE
 * the ODE block's solves, forward and backward); the metric is the error, the share of misclassified images,
 * evaluated {@link #chunkImages} at a time with the evaluation solver.
 */
public final class ClassifierObjective implements Objective<ImageBlock> {

    private static final long serialVersionUID = 1L;

    /** Images per evaluation call of the MLP: a few hundred doubles of activations an image. */
    public static final int CHUNK_IMAGES = 500;
    /**
     * Images per evaluation call of the convolutional blocks, whose passes keep every layer's maps and the
     * convolutions' unfolded inputs (megabytes an image at MNIST's size, as in a training batch's share).
     */
    public static final int CONV_CHUNK_IMAGES = 50;

    private final ClassifierModel model;

    public ClassifierObjective(ClassifierModel model) {
        if (model == null) {
            throw new IllegalArgumentException("a classifier objective needs a model");
        }
        this.model = model;
    }

    /** Images per evaluation call of a classifier of architecture {@code a}: bounded memory per task. */
    public static int chunkImages(ClassifierArchitecture a) {
        return a.block() == ClassifierBlock.MLP ? CHUNK_IMAGES : CONV_CHUNK_IMAGES;
    }

    @Override
    public int paramDim() {
        return model.parameterCount();
    }

    @Override
    public void addLossGradient(double[] w, ImageBlock block, int[] units, long noiseSeed, LossGradient acc) {
        model.addLossGradient(w, block.batch(units), acc);
    }

    /** Adds the block's errors (lossSum) over its images (count), with the evaluation solves' work. */
    @Override
    public void addEvaluation(double[] w, ImageBlock block, LongConsumer progress, LossGradient acc) {
        int chunk = chunkImages(model.arch());
        ClassifierModel.BatchClassifier classifier = model.classifier(w, Math.min(chunk, Math.max(1, block.n())));
        for (int from = 0; from < block.n(); from += chunk) {
            int to = Math.min(block.n(), from + chunk);
            Classification c = classifier.classify(block.batch(from, to));
            acc.add(c.errors(), new double[0], to - from, c.stats().nfe(), 0, c.stats().accepted(),
                    c.stats().rejected());
            progress.accept(to - from);
        }
    }

    /** The error, cross-entropy and confusion counts of the block's images. */
    public ImageScores score(double[] w, ImageBlock block, LongConsumer progress) {
        ImageScores s = ImageScores.none(model.arch().classes());
        int chunk = chunkImages(model.arch());
        ClassifierModel.BatchClassifier classifier = model.classifier(w, Math.min(chunk, Math.max(1, block.n())));
        for (int from = 0; from < block.n(); from += chunk) {
            int to = Math.min(block.n(), from + chunk);
            Classification c = classifier.classify(block.batch(from, to));
            s = s.plus(Arrays.copyOfRange(block.labels(), from, to), c.predicted(), c.lossSum());
            progress.accept(to - from);
        }
        return s;
    }

    @Override
    public String metricName() {
        return "error";
    }

    /** The mean errors per image: the error itself. */
    @Override
    public double metric(double meanEvaluation) {
        return meanEvaluation;
    }

    /** None: the loss is the batch's mean cross-entropy, which gives no error. */
    @Override
    public double batchMetric(double meanLoss) {
        return Double.NaN;
    }
}
