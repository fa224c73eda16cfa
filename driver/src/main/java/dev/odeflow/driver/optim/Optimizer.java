package dev.odeflow.driver.optim;

import dev.odeflow.driver.conf.OptimizerConfig;

import java.io.Serializable;

/** A first-order update rule applied on the driver to the mean gradient. Stateless; state is passed in and out. */
public interface Optimizer extends Serializable {

    /** The name stored in checkpoints (adam, sgd). */
    String name();

    /** The state before the first update, for {@code dim} parameters. */
    OptimizerState initialState(int dim);

    /**
     * Updates {@code w} in place with gradient {@code grad} (the mean over the batch, already clipped) and
     * learning rate {@code lr}; returns the state after the update.
     */
    OptimizerState update(double[] w, double[] grad, double lr, OptimizerState state);

    /** The optimizer described by {@code c}. */
    static Optimizer of(OptimizerConfig c) {
        return switch (c.kind()) {
            case ADAM -> new Adam(c.beta1(), c.beta2(), c.eps(), c.weightDecay());
            case SGD -> new Sgd(c.momentum(), c.weightDecay());
        };
    }
}
