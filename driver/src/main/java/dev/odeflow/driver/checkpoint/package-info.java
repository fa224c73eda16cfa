/**
 * Checkpoints of a training run on any Hadoop {@code FileSystem} (local paths, file:, hdfs:): parameters,
 * optimizer state, iteration and the seeds that make every later random choice reproducible. Files are
 * written to a temporary name and renamed, and carry a CRC32 of their payload that is verified on load.
 */
package dev.odeflow.driver.checkpoint;
