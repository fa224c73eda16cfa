package dev.odeflow.kernels.solver;

/**
 * Sees every accepted step. The arrays are the engine's buffers: copy what you keep.
 * Used by the checkpointed adjoint and by direct backprop to record the discrete trajectory.
 */
@FunctionalInterface
public interface StepListener {

    StepListener NONE = (t, h, y0, stages, y1) -> { };

    /**
     * @param t      step start
     * @param h      signed step size
     * @param y0     state at t
     * @param stages stage inputs Y_s (Y_0 = y0) at which f was evaluated
     * @param y1     state at t + h
     */
    void onStep(double t, double h, double[] y0, double[][] stages, double[] y1);
}
