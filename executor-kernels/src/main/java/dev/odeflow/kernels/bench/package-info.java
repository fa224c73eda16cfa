/**
 * The {@code bin/odeflow bench} entry point: timings of the FFJORD toy CNF (evaluations and training iterations).
 */
package dev.odeflow.kernels.bench;
