package dev.odeflow.kernels.nn;

/** PyTorch's {@code F.cross_entropy} summed over rows of logits, with its gradient, and the predicted classes. */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /**
     * Σ_r −log softmax(logits_r)[label_r] over n rows of {@code classes} logits; writes its gradient
     * softmax(logits_r) − onehot(label_r) into dLogits (n×classes) when that is not null.
     */
    public static double loss(double[] logits, int[] labels, int n, int classes, double[] dLogits) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
            int label = labels[r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " of example " + r + " is not a class in [0, "
                        + classes + ")");
            }
            int at = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[at + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                z += Math.exp(logits[at + c] - max);
            }
            double logZ = max + Math.log(z);
            sum += logZ - logits[at + label];
            if (dLogits != null) {
                for (int c = 0; c < classes; c++) {
                    dLogits[at + c] = Math.exp(logits[at + c] - logZ) - (c == label ? 1 : 0);
                }
            }
        }
        return sum;
    }

    /** The class with the largest logit in row r (the first of ties). */
    public static int predicted(double[] logits, int r, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (logits[r * classes + c] > logits[r * classes + best]) {
                best = c;
            }
        }
        return best;
    }
}
