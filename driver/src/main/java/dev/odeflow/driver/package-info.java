/**
 * The Spark side of odeflow. {@link dev.odeflow.driver.CnfTrainer#train} turns a
 * {@link dev.odeflow.driver.conf.TrainConfig} into a trained continuous normalizing flow
 * ({@link dev.odeflow.driver.TrainResult}), {@link dev.odeflow.driver.TrajectoryTrainer#train} into a vector
 * field fitted to time series ({@link dev.odeflow.driver.TrajectoryResult}); the sub-packages hold its parts: configuration, data, optimizers,
 * the training loop, checkpoints, metrics and GPU assignment. See {@code driver/DRIVER.md}.
 */
package dev.odeflow.driver;
