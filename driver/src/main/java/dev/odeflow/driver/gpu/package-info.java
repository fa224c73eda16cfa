/**
 * Which GPU a Spark task uses: the one Spark's resource scheduling assigned to the task
 * ({@code TaskContext.resources().get("gpu")}), else in local mode the {@code gpu.local.devices} list mapped
 * by partition index, else none (the CPU). See {@link dev.odeflow.driver.gpu.GpuAssignment}.
 */
package dev.odeflow.driver.gpu;
