/**
 * Continuous normalizing flows: the augmented system [z, Δlogp] with the exact trace or Hutchinson's estimator, following FFJORD's conventions.
 */
package dev.odeflow.kernels.cnf;
