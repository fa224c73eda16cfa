package dev.odeflow.kernels.model;

/** Central finite differences of a model's summed loss, for the gradient checks of the model tests. */
final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * The largest |finite difference − analytic gradient| over every parameter, relative to the largest finite
     * difference; {@code analytic} is the model's gradient at {@code w} for the same rows and noise seed.
     */
    static double relativeError(CnfModel m, double[] w, double[] x, int n, long seed, double[] analytic) {
        double eps = 1e-4;
        double maxErr = 0;
        double scale = 0;
        for (int j = 0; j < w.length; j++) {
            double[] p = w.clone();
            double[] q = w.clone();
            p[j] += eps;
            q[j] -= eps;
            LossGradient a = new LossGradient(w.length);
            LossGradient b = new LossGradient(w.length);
            m.addLossGradient(p, x, n, seed, a);
            m.addLossGradient(q, x, n, seed, b);
            double fd = (a.lossSum() - b.lossSum()) / (2 * eps);
            maxErr = Math.max(maxErr, Math.abs(fd - analytic[j]));
            scale = Math.max(scale, Math.abs(fd));
        }
        return maxErr / scale;
    }
}
