/**
 * How a CNF's trace tr(∂f/∂z) is taken: exactly (d tangent directions) or by Hutchinson's estimator with
 * Rademacher or Gaussian probes ({@link dev.odeflow.kernels.trace.Probe}, {@link dev.odeflow.kernels.trace.Divergence}).
 */
package dev.odeflow.kernels.trace;
