/**
 * The model directory: {@code model.json} (architecture, solver settings, T, standardization) and
 * {@code weights.safetensors} (named tensors in FFJORD's ODEnet state_dict layout), written atomically and
 * validated on load; a trajectory fit's ({@link dev.odeflow.jobs.model.TrajectoryModelJson},
 * {@link dev.odeflow.jobs.model.SavedTrajectory}) under PyTorch's {@code nn.Sequential} names.
 */
package dev.odeflow.jobs.model;
