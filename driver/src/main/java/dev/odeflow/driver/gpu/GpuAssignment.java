package dev.odeflow.driver.gpu;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the CUDA device ordinal for the current Spark task.
 *
 * <ol>
 *   <li>If Spark's resource scheduling gave the task a {@code gpu} resource (cluster mode with
 *       {@code spark.executor.resource.gpu.amount} and {@code spark.task.resource.gpu.amount} plus a discovery
 *       script), its first address is used.</li>
 *   <li>Otherwise, if {@code gpu.local.devices} lists ordinals (e.g. {@code 0,1}; meant for local mode, where
 *       Spark assigns none), partition p uses {@code devices[p mod size]}.</li>
 *   <li>Otherwise empty: run on the CPU.</li>
 * </ol>
 * Serializable, so it can travel in task closures; call {@link #forCurrentTask()} inside a task.
 */
public final class GpuAssignment implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The Spark resource name of GPUs. */
    public static final String RESOURCE = "gpu";

    private final List<Integer> localDevices;

    public GpuAssignment(List<Integer> localDevices) {
        this.localDevices = List.copyOf(localDevices);
        for (int d : this.localDevices) {
            if (d < 0) {
                throw new IllegalArgumentException("GPU ordinals must be >= 0, got " + localDevices);
            }
        }
    }

    public List<Integer> localDevices() {
        return localDevices;
    }

    /** The device of the running task; empty outside a task or when it should use the CPU. */
    public Optional<Integer> forCurrentTask() {
        TaskContext tc = TaskContext.get();
        if (tc == null) {
            return Optional.empty();
        }
        return resolve(tc.resourcesJMap(), tc.partitionId());
    }

    /** The device for a task with these Spark resources running partition {@code partition}. */
    public Optional<Integer> resolve(Map<String, ResourceInformation> resources, int partition) {
        ResourceInformation gpu = resources == null ? null : resources.get(RESOURCE);
        if (gpu != null && gpu.addresses().length > 0) {
            String address = gpu.addresses()[0].strip();
            try {
                return Optional.of(Integer.parseInt(address));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Spark assigned GPU address '" + address
                        + "', which is not a device ordinal; make the discovery script report ordinals", e);
            }
        }
        if (!localDevices.isEmpty()) {
            return Optional.of(localDevices.get(Math.floorMod(partition, localDevices.size())));
        }
        return Optional.empty();
    }
}
