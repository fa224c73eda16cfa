/** A real standalone Spark cluster on loopback (master and workers as separate JVMs) for failover tests. */
package dev.odeflow.jobs.cluster;
