/**
 * odeflow's user-facing entry points: the {@link dev.odeflow.jobs.OdeflowCli} command line (train, score, sample,
 * grad, bench), packaged as a runnable local jar and a thin spark-submit jar.
 */
package dev.odeflow.jobs;
