/**
 * Backend selection: {@code cpu}, {@code cuda} or {@code auto} (CUDA where usable, else the CPU, with one log line
 * saying why); the CUDA probe runs once per JVM.
 */
package dev.odeflow.kernels.backend.select;
