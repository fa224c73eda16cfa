/**
 * Trajectory fitting (torchdiffeq's {@code ode_demo}): an autonomous MLP vector field
 * ({@link dev.odeflow.kernels.trajectory.MlpField}) solved from the first value of each observed window over the
 * union of the windows' relative times, with an L1 or L2 loss at each window's own times
 * ({@link dev.odeflow.kernels.trajectory.TrajectoryModel}). Depends on {@code solver}, {@code gradient},
 * {@code dynamics} and {@code model} (the mergeable loss sum), never on {@code cnf} or a backend.
 */
package dev.odeflow.kernels.trajectory;
