package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.solver.SolveStats;

/**
 * What an evaluation of a batch gives.
 *
 * @param logits    n×classes
 * @param predicted the class of largest logit per image
 * @param lossSum   Σ cross-entropy over the batch (NaN when it had no labels)
 * @param errors    how many predictions differ from the labels (0 when there were none)
 * @param stats     the ODE block's solver work (zero for the other blocks)
 */
public record Classification(double[] logits, int[] predicted, double lossSum, int errors, SolveStats stats) {
}
