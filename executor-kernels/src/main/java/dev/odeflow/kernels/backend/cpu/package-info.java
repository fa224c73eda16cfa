/**
 * The CPU reference backend: the CNF kernel run by {@link dev.odeflow.kernels.cnf.CnfSystem} on the SIMD (or
 * scalar) dense kernels, the twin every CUDA kernel is checked against.
 */
package dev.odeflow.kernels.backend.cpu;
