package dev.odeflow.kernels.solver;

/**
 * One evaluation of a {@link DifferentiableSystem} whose intermediate values (a network's layer activations)
 * were kept, so that its vector–Jacobian product needs no second evaluation: what direct backprop through a
 * solve keeps per stage. The product is exactly {@link DifferentiableSystem#vjp} at the same point.
 */
public interface KeptEvaluation {

    /** Bytes this evaluation keeps alive. */
    long bytes();

    /**
     * Adds aᵀ∂f/∂y into {@code gy} and aᵀ∂f/∂θ into {@code gTheta} at the kept point.
     *
     * @return aᵀ∂f/∂t
     */
    double vjp(double[] a, double[] gy, double[] gTheta);

    /** Hands the kept values back for reuse; the evaluation must not be used afterwards. */
    void release();
}
