package dev.odeflow.driver.train;

import dev.odeflow.kernels.model.LossGradient;

import java.io.Serializable;

/**
 * What the executors evaluate: a summed loss with its gradient, and per-row log-likelihoods. The CNF's is
 * {@link CnfObjective}; the loop itself only needs this contract.
 */
public interface Objective extends Serializable {

    /** Number of parameters. */
    int paramDim();

    /** Adds the summed loss over rows x (n×d) and its gradient w.r.t. w into acc; noise from noiseSeed. */
    void addLossGradient(double[] w, double[] x, int n, long noiseSeed, LossGradient acc);

    /** log p(x) per row. */
    double[] logLikelihood(double[] w, double[] x, int n);

    /**
     * Indices of w that the optimizer must leave unchanged (the loop restores them after each update, so that
     * weight decay or momentum cannot move them either); none by default.
     */
    default int[] frozenParameters() {
        return new int[0];
    }

    /** The time the progress line and metrics report as {@code T} for parameters w; NaN when there is none. */
    default double reportedTime(double[] w) {
        return Double.NaN;
    }
}
