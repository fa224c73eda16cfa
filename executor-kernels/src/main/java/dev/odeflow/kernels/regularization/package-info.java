/**
 * The RNODE regularizers of Finlay et al. 2020, "How to train your neural ODE", under FFJORD's names: the kinetic
 * energy {@code l2int} = ∫‖f‖² dt and the Jacobian Frobenius norm {@code JFrobint} = ∫‖∂f/∂z‖²_F dt, each an
 * extra state of the augmented CNF system ({@link dev.odeflow.kernels.regularization.Regularization}).
 */
package dev.odeflow.kernels.regularization;
