package dev.odeflow.driver.train;

import java.io.Serializable;

/**
 * A classifier's scores over a set of labelled images, mergeable across partitions: the images, the errors, the
 * summed cross-entropy and the confusion counts.
 *
 * @param classes      number of classes
 * @param images       images scored
 * @param errors       images whose predicted class is not their label
 * @param crossEntropy Σ softmax cross-entropy (nats)
 * @param confusion    classes × classes counts: row = label, column = predicted class
 */
public record ImageScores(int classes, long images, long errors, double crossEntropy, long[] confusion)
        implements Serializable {

    public ImageScores {
        if (classes < 2 || confusion == null || confusion.length != classes * classes) {
            throw new IllegalArgumentException("scores need classes >= 2 and a classes × classes confusion table");
        }
        confusion = confusion.clone();
    }

    /** Nothing scored yet. */
    public static ImageScores none(int classes) {
        return new ImageScores(classes, 0, 0, 0, new long[classes * classes]);
    }

    /** These and {@code o}'s. */
    public ImageScores plus(ImageScores o) {
        long[] c = confusion.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += o.confusion[i];
        }
        return new ImageScores(classes, images + o.images, errors + o.errors, crossEntropy + o.crossEntropy, c);
    }

    /** These plus the images of a classified batch. */
    public ImageScores plus(int[] labels, int[] predicted, double lossSum) {
        long[] c = confusion.clone();
        long e = 0;
        for (int i = 0; i < labels.length; i++) {
            c[labels[i] * classes + predicted[i]]++;
            if (labels[i] != predicted[i]) {
                e++;
            }
        }
        return new ImageScores(classes, images + labels.length, errors + e, crossEntropy + lossSum, c);
    }

    @Override
    public long[] confusion() {
        return confusion.clone();
    }

    /** The share of misclassified images; NaN without images. */
    public double error() {
        return images == 0 ? Double.NaN : (double) errors / images;
    }

    /** The mean cross-entropy per image (nats); NaN without images. */
    public double meanCrossEntropy() {
        return images == 0 ? Double.NaN : crossEntropy / images;
    }

    /** The error among the images of each class (NaN for a class without images). */
    public double[] classErrors() {
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            long n = 0;
            for (int j = 0; j < classes; j++) {
                n += confusion[k * classes + j];
            }
            out[k] = n == 0 ? Double.NaN : 1 - (double) confusion[k * classes + k] / n;
        }
        return out;
    }
}
