package dev.odeflow.driver.optim;

/**
 * Adam as in {@code torch.optim.Adam}: L2 weight decay added to the gradient, bias-corrected moments,
 * w ← w − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
 */
public final class Adam implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1, eps > 0 and weight decay >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public OptimizerState initialState(int dim) {
        return new OptimizerState(name(), 0, new double[][] {new double[dim], new double[dim]});
    }

    @Override
    public OptimizerState update(double[] w, double[] grad, double lr, OptimizerState state) {
        check(w, grad, state);
        double[] m = state.slot(0);
        double[] v = state.slot(1);
        long t = state.step() + 1;
        double bc1 = 1 - StrictMath.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1 - StrictMath.pow(beta2, t));
        double stepSize = lr / bc1;
        for (int i = 0; i < w.length; i++) {
            double g = grad[i] + weightDecay * w[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double denom = Math.sqrt(v[i]) / sqrtBc2 + eps;
            w[i] -= stepSize * (m[i] / denom);
        }
        return new OptimizerState(name(), t, new double[][] {m, v});
    }

    private void check(double[] w, double[] grad, OptimizerState s) {
        if (!s.optimizer().equals(name()) || s.slotCount() != 2) {
            throw new IllegalArgumentException("state " + s + " is not Adam's");
        }
        if (grad.length != w.length || s.slot(0).length != w.length) {
            throw new IllegalArgumentException("parameter, gradient and state sizes differ: " + w.length + ", "
                    + grad.length + ", " + s.slot(0).length);
        }
    }
}
