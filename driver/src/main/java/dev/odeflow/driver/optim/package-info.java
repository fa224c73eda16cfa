/**
 * Driver-side optimizers in the style of MLlib's {@code Updater}: {@link dev.odeflow.driver.optim.Adam} and
 * {@link dev.odeflow.driver.optim.Sgd} (with momentum) behind {@link dev.odeflow.driver.optim.Optimizer},
 * global-norm {@link dev.odeflow.driver.optim.GradientClipping} and a
 * {@link dev.odeflow.driver.optim.LearningRateSchedule}. Optimizer state is an immutable
 * {@link dev.odeflow.driver.optim.OptimizerState} that checkpoints store exactly.
 */
package dev.odeflow.driver.optim;
