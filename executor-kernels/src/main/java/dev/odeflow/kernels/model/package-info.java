/**
 * The CNF facade an executor calls: architecture, solve settings, the summed NLL and its gradient (a mergeable {@link dev.odeflow.kernels.model.LossGradient}), log-likelihoods and sampling, for one CNF block or a chain of K blocks (FFJORD's {@code SequentialFlow}) laid out by {@code ChainLayout}.
 */
package dev.odeflow.kernels.model;
