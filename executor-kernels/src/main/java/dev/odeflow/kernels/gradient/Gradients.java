package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.DifferentiableSystem;
import dev.odeflow.kernels.solver.SolverConfig;

/** Entry point: a forward solve whose gradient method is a parameter. */
public final class Gradients {

    private Gradients() {
    }

    /**
     * Solves f from y0 over {@code times} with {@code cfg}, keeping what {@code method} needs to differentiate.
     *
     * @param adjoint tolerances of the backsolve adjoint's reverse solve (ignored by the other methods)
     */
    public static ForwardPass forward(DifferentiableSystem f, double[] y0, double[] times, SolverConfig cfg,
                                      GradientMethod method, AdjointOptions adjoint) {
        return switch (method) {
            case BACKSOLVE_ADJOINT -> BacksolveAdjoint.forward(f, y0, times, cfg, adjoint);
            case CHECKPOINTED_ADJOINT -> DiscreteAdjoint.forward(f, y0, times, cfg, false);
            case DIRECT_BACKPROP -> DiscreteAdjoint.forward(f, y0, times, cfg, true);
        };
    }
}
