package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.solver.SolveStats;

/**
 * One gradient of the summed cross-entropy at a batch.
 *
 * @param lossSum   Σ cross-entropy over the batch
 * @param gradient  its gradient w.r.t. θ
 * @param forward   the ODE block's forward solve (zero for the other blocks)
 * @param backward  the ODE block's backward pass
 * @param keptBytes what the gradient kept between its forward and backward passes: every layer's activations
 *                  and the ODE block's solve (what a gradient costs in memory beyond the weights)
 */
public record GradientStep(double lossSum, double[] gradient, SolveStats forward, SolveStats backward,
                           long keptBytes) {
}
