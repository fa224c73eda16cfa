/**
 * Gradient methods as a parameter of the solve: the backsolve adjoint (Algorithm 2 of Chen et al.), the checkpointed adjoint and direct backprop through the solver steps.
 */
package dev.odeflow.kernels.gradient;
