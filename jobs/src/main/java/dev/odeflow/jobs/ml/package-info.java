/**
 * MLlib-style Spark API: {@link dev.odeflow.jobs.ml.CnfEstimator} trains a flow with {@code fit(df)},
 * {@link dev.odeflow.jobs.ml.CnfFlowModel} adds a log-likelihood column with {@code transform(df)} and saves
 * itself as a model directory; {@link dev.odeflow.jobs.ml.FlowScoring} is the block-wise scoring both the model
 * and the CLI use.
 */
package dev.odeflow.jobs.ml;
