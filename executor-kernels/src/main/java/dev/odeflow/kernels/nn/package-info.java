/**
 * Network building blocks with their reverse passes, outside any ODE: the {@link dev.odeflow.kernels.nn.Mlp}
 * (PyTorch's Sequential of Linear layers) and the {@link dev.odeflow.kernels.nn.GruCell} run over masked,
 * irregular sequences. Vector fields ({@code trajectory}) and the latent ODE's encoder and decoder
 * ({@code latent}) are built from them; the products go through {@code dynamics.Gemm}.
 */
package dev.odeflow.kernels.nn;
