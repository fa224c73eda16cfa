/**
 * A real standalone Spark cluster on loopback (master and workers as separate JVMs) for failover and
 * cluster-deploy-mode tests.
 */
package dev.odeflow.jobs.cluster;
