package dev.odeflow.kernels.solver;

/**
 * An {@link OdeSystem} f(t, y; θ) that can also pull a cotangent back through itself. This is all the
 * gradient methods need: the adjoint, checkpointed and direct methods run on any implementation.
 */
public interface DifferentiableSystem extends OdeSystem {

    /** Number of parameters θ. */
    int paramDim();

    /**
     * Evaluates f(t, y) into {@code f} (may be null) and adds the vector–Jacobian products
     * aᵀ∂f/∂y into {@code gy} and aᵀ∂f/∂θ into {@code gTheta}.
     *
     * @return aᵀ∂f/∂t
     */
    double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta);

    /**
     * Evaluates f(t, y) into {@code dydt} as {@link #eval} does and, when the system can keep what its
     * vector–Jacobian product at this point needs in at most {@code budgetBytes}, returns it kept; otherwise
     * returns null (the caller then calls {@link #vjp} later, which evaluates again). Systems that cannot keep
     * evaluations only evaluate.
     */
    default KeptEvaluation evalKept(double t, double[] y, double[] dydt, long budgetBytes) {
        eval(t, y, dydt);
        return null;
    }
}
