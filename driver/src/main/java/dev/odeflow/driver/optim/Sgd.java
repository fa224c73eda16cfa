package dev.odeflow.driver.optim;

/**
 * SGD with momentum as in {@code torch.optim.SGD} (dampening 0): g ← g + λw; b ← g on the first step, else
 * b ← μ·b + g; w ← w − lr·b. With μ = 0 it is plain SGD.
 */
public final class Sgd implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final double momentum;
    private final double weightDecay;

    public Sgd(double momentum, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD needs 0 <= momentum < 1 and weight decay >= 0");
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public OptimizerState initialState(int dim) {
        return new OptimizerState(name(), 0, new double[][] {new double[dim]});
    }

    @Override
    public OptimizerState update(double[] w, double[] grad, double lr, OptimizerState state) {
        if (!state.optimizer().equals(name()) || state.slotCount() != 1) {
            throw new IllegalArgumentException("state " + state + " is not SGD's");
        }
        double[] b = state.slot(0);
        if (grad.length != w.length || b.length != w.length) {
            throw new IllegalArgumentException("parameter, gradient and state sizes differ: " + w.length + ", "
                    + grad.length + ", " + b.length);
        }
        boolean first = state.step() == 0;
        for (int i = 0; i < w.length; i++) {
            double g = grad[i] + weightDecay * w[i];
            b[i] = momentum == 0 ? g : first ? g : momentum * b[i] + g;
            w[i] -= lr * b[i];
        }
        return new OptimizerState(name(), state.step() + 1, new double[][] {b});
    }
}
