/**
 * Where the augmented dynamics run: the backend SPI, the CPU reference, and backend selection.
 */
package dev.odeflow.kernels.backend;
