/**
 * Batched vector fields f(t, Z; θ) with forward, JVP and VJP: FFJORD's ODEnet (concat and concatsquash layers; tanh, softplus, elu, swish) and the gated planar CNF. Parameters are one flat vector with named tensors ({@link dev.odeflow.kernels.dynamics.ParameterLayout}).
 * The ODEnet computes in double ({@link dev.odeflow.kernels.dynamics.Gemm}) or, with
 * {@link dev.odeflow.kernels.dynamics.Precision#FLOAT32} in its {@link dev.odeflow.kernels.dynamics.CnfArchitecture},
 * in float ({@link dev.odeflow.kernels.dynamics.FloatGemm}); state, θ and gradients stay double either way.
 */
package dev.odeflow.kernels.dynamics;
