/**
 * The Spark side of odeflow. {@link dev.odeflow.driver.CnfTrainer#train} turns a
 * {@link dev.odeflow.driver.conf.TrainConfig} into a trained continuous normalizing flow
 * ({@link dev.odeflow.driver.TrainResult}); {@link dev.odeflow.driver.SeriesTrainer} trains the time-series
 * kinds, a vector field fitted to trajectories or a latent ODE ({@link dev.odeflow.driver.SeriesResult}). The
 * sub-packages hold its parts: configuration, data, optimizers, the training loop, checkpoints, metrics and GPU
 * assignment. See {@code driver/DRIVER.md}.
 */
package dev.odeflow.driver;
