/**
 * Training from the command line and from the Spark API: {@link dev.odeflow.jobs.train.DriverTraining} is the one
 * place that calls the driver's trainer; {@link dev.odeflow.jobs.train.TrainOutputs} writes what a run leaves
 * behind (model directory and pictures).
 */
package dev.odeflow.jobs.train;
