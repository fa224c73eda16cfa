/**
 * The latent ODE ({@code model.kind = latent_ode}): a GRU encoder over each series' context gives q(z0 | x), the
 * latent dynamics ({@link dev.odeflow.kernels.latent.LatentDynamics}: an ODE, or the GRU baseline) carry z0 to
 * every observation time, a decoder maps z(t) to the data, and the loss is the negative ELBO
 * ({@link dev.odeflow.kernels.latent.LatentOdeModel}). Built from {@code nn}'s networks and {@code trajectory}'s
 * field and windows; the ODE is solved and differentiated by {@code gradient}.
 */
package dev.odeflow.kernels.latent;
