/**
 * The synchronous data-parallel loop: per iteration, broadcast the parameters, let each partition add its
 * share of the minibatch's loss and gradient ({@link dev.odeflow.driver.train.DistributedGradient}), combine
 * the partitions with {@code treeAggregate} in a fixed order ({@link dev.odeflow.driver.train.PartitionTree}),
 * destroy the broadcast and update on the driver ({@link dev.odeflow.driver.train.TrainLoop}). The loop knows only
 * {@link dev.odeflow.driver.train.Objective}, one per model kind: {@link dev.odeflow.driver.train.CnfObjective} on
 * rows, {@link dev.odeflow.driver.train.TrajectoryObjective} on series windows.
 */
package dev.odeflow.driver.train;
