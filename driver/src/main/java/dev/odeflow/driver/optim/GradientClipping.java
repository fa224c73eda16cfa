package dev.odeflow.driver.optim;

/** Gradient clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The global L2 norm of g. */
    public static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * Scales g in place by maxNorm / (‖g‖ + 1e-6) when that is below 1; maxNorm ≤ 0 disables clipping.
     * Returns the norm before clipping.
     */
    public static double clipInPlace(double[] g, double maxNorm) {
        double n = norm(g);
        if (maxNorm > 0) {
            double coef = maxNorm / (n + 1e-6);
            if (coef < 1) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= coef;
                }
            }
        }
        return n;
    }
}
