/**
 * Random draws that are the same bits on every JVM and CPU for a given seed (the kernels' Hutchinson noise and
 * the driver's toy data use them).
 */
package dev.odeflow.kernels.random;
