/**
 * The CNF facade an executor calls: architecture, solve settings, the summed NLL and its gradient (a mergeable {@link dev.odeflow.kernels.model.LossGradient}), log-likelihoods and sampling.
 */
package dev.odeflow.kernels.model;
