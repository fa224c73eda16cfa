/**
 * The {@code bin/odeflow bench} entry point: timings of the FFJORD toy CNF (evaluations and training iterations)
 * and, with {@code case=classifier}, of the MNIST classifiers' gradient (time, NFE and the memory it keeps).
 */
package dev.odeflow.kernels.bench;
