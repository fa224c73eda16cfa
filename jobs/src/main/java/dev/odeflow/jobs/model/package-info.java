/**
 * The model directory: {@code model.json} (architecture, solver settings, T, standardization) and
 * {@code weights.safetensors} (named tensors in FFJORD's ODEnet state_dict layout), written atomically and
 * validated on load.
 */
package dev.odeflow.jobs.model;
