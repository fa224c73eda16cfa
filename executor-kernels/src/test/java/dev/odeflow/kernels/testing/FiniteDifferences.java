package dev.odeflow.kernels.testing;

import java.util.function.ToDoubleFunction;

/** Central finite differences of a summed loss, for the gradient checks of the model tests. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * The largest |finite difference − analytic gradient| over every parameter, relative to the largest finite
     * difference (which must be above {@code minScale}, so that a loss independent of w cannot pass);
     * {@code analytic} is the gradient of {@code loss} at {@code w}, {@code eps} the step.
     */
    public static double relativeError(double[] w, ToDoubleFunction<double[]> loss, double[] analytic, double eps,
                                       double minScale) {
        double maxErr = 0;
        double scale = 0;
        for (int j = 0; j < w.length; j++) {
            double[] p = w.clone();
            double[] q = w.clone();
            p[j] += eps;
            q[j] -= eps;
            double fd = (loss.applyAsDouble(p) - loss.applyAsDouble(q)) / (2 * eps);
            maxErr = Math.max(maxErr, Math.abs(fd - analytic[j]));
            scale = Math.max(scale, Math.abs(fd));
        }
        if (!(scale > minScale)) {
            throw new AssertionError("the loss barely depends on the parameters: largest difference " + scale);
        }
        return maxErr / scale;
    }
}
