/**
 * How a run writes its outputs: {@link dev.odeflow.driver.output.OutputStore}, the one store for every output
 * (every file and directory under a fresh, exclusively created temporary name, then renamed into place, on any
 * Hadoop file system) and {@link dev.odeflow.driver.output.RunLock} (one live run per output directory).
 */
package dev.odeflow.driver.output;
