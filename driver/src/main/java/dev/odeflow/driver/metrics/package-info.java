/**
 * Run telemetry: {@link dev.odeflow.driver.metrics.IterationMetrics} per iteration, appended as one JSON line
 * to {@code metrics.jsonl} by {@link dev.odeflow.driver.metrics.MetricsWriter}, and a console progress line
 * with ETA from {@link dev.odeflow.driver.metrics.ProgressReporter}.
 */
package dev.odeflow.driver.metrics;
