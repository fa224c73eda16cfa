/**
 * MLlib-style Spark API: {@link dev.odeflow.jobs.ml.CnfEstimator} trains a flow with {@code fit(df)},
 * {@link dev.odeflow.jobs.ml.CnfFlowModel} adds a log-likelihood column with {@code transform(df)} and saves
 * itself as a model directory; {@link dev.odeflow.jobs.ml.FlowScoring} is the block-wise scoring both the model
 * and the CLI use. {@link dev.odeflow.jobs.ml.SeriesPrediction} predicts the series of a long table with a
 * trajectory model or a latent ODE, partition by partition, for the CLI's {@code predict}.
 */
package dev.odeflow.jobs.ml;
