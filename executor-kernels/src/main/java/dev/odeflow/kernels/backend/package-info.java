/**
 * Where the augmented dynamics run: the backend SPI ({@link dev.odeflow.kernels.backend.ComputeBackend},
 * {@link dev.odeflow.kernels.backend.CnfKernel}, {@link dev.odeflow.kernels.backend.BackendKind}); the
 * implementations live in {@code backend.cpu} and {@code backend.cuda}, the choice between them in
 * {@code backend.select}.
 */
package dev.odeflow.kernels.backend;
