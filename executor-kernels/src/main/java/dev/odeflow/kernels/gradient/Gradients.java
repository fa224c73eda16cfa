package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.SolverConfig;

/** Entry point: a forward solve whose gradient method is a parameter. */
public final class Gradients {

    private Gradients() {
    }

    /** What direct backprop may keep of the stage evaluations of one solve unless told otherwise: 256 MiB. */
    public static final long DEFAULT_KEEP_BYTES = 256L << 20;

    /**
     * Solves f from y0 over {@code times} with {@code cfg}, keeping what {@code method} needs to differentiate;
     * direct backprop keeps up to {@link #DEFAULT_KEEP_BYTES} of stage evaluations.
     *
     * @param adjoint tolerances of the backsolve adjoint's reverse solve (ignored by the other methods)
     */
    public static ForwardPass forward(DifferentiableSystem f, double[] y0, double[] times, SolverConfig cfg,
                                      GradientMethod method, AdjointOptions adjoint) {
        return forward(f, y0, times, cfg, method, adjoint, DEFAULT_KEEP_BYTES);
    }

    /**
     * As above, with direct backprop keeping up to {@code keepBytes} of the stage evaluations' intermediate
     * values ({@link DifferentiableSystem#evalKept}), which spares the backward pass re-evaluating them; the
     * gradient is the same whatever the budget (0 keeps none).
     */
    public static ForwardPass forward(DifferentiableSystem f, double[] y0, double[] times, SolverConfig cfg,
                                      GradientMethod method, AdjointOptions adjoint, long keepBytes) {
        if (keepBytes < 0) {
            throw new IllegalArgumentException("the memory budget must be >= 0 bytes, got " + keepBytes);
        }
        return switch (method) {
            case BACKSOLVE_ADJOINT -> BacksolveAdjoint.forward(f, y0, times, cfg, adjoint);
            case CHECKPOINTED_ADJOINT -> DiscreteAdjoint.forward(f, y0, times, cfg, false, 0);
            case DIRECT_BACKPROP -> DiscreteAdjoint.forward(f, y0, times, cfg, true, keepBytes);
        };
    }
}
