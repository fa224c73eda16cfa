package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.Solution;

/** A finished forward solve that knows how to pull a loss gradient back through itself. */
public interface ForwardPass {

    /** The states at the observation times. */
    Solution solution();

    /**
     * Pulls the loss gradient back.
     *
     * @param dLdy dL/dy(t_k) for every observation time (same shape as {@code solution().states()});
     *             rows may be null for times the loss does not see
     */
    Sensitivities backward(double[][] dLdy);

    /** Bytes this object keeps alive for its backward pass (what a long solve costs in memory). */
    long retainedBytes();
}
