/**
 * Network building blocks with their reverse passes, outside any ODE: the {@link dev.odeflow.kernels.nn.Mlp}
 * (PyTorch's Sequential of Linear layers), the {@link dev.odeflow.kernels.nn.GruCell} run over masked,
 * irregular sequences, and the image layers on channels-last batches ({@link dev.odeflow.kernels.nn.Layer}):
 * {@link dev.odeflow.kernels.nn.Conv2d} (with torchdiffeq's time channel, ConcatConv2d),
 * {@link dev.odeflow.kernels.nn.GroupNorm}, {@link dev.odeflow.kernels.nn.GlobalAveragePool},
 * {@link dev.odeflow.kernels.nn.Linear}, {@link dev.odeflow.kernels.nn.Relu},
 * {@link dev.odeflow.kernels.nn.Sequential} and {@link dev.odeflow.kernels.nn.Residual}, under PyTorch's tensor
 * names and layouts. Vector fields ({@code trajectory}), the latent ODE's encoder and decoder ({@code latent})
 * and the image classifiers ({@code classifier}) are built from them; the products go through
 * {@code dynamics.Gemm}.
 */
package dev.odeflow.kernels.nn;
