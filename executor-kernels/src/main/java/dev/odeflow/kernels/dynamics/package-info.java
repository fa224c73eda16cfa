/**
 * Batched vector fields f(t, Z; θ) with forward, JVP and VJP: FFJORD's ODEnet (concat and concatsquash layers; tanh, softplus, elu, swish) and the gated planar CNF. Parameters are one flat vector with named tensors ({@link dev.odeflow.kernels.dynamics.ParameterLayout}).
 */
package dev.odeflow.kernels.dynamics;
