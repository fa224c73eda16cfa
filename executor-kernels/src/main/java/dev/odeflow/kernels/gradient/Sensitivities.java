package dev.odeflow.kernels.gradient;

import dev.odeflow.kernels.solver.SolveStats;

/**
 * Gradients of a loss L(y(t_0), …, y(t_K)) with respect to the inputs of the solve.
 *
 * @param y0    dL/dy(t_0)
 * @param theta dL/dθ
 * @param times dL/dt_k for every entry of the solve's time array (t_0 first)
 * @param stats work of the backward pass
 */
public record Sensitivities(double[] y0, double[] theta, double[] times, SolveStats stats) {
}
