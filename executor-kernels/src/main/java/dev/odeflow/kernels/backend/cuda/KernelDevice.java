package dev.odeflow.kernels.backend.cuda;

/**
 * What the host code needs from a device: allocations, launches of the module's entry points, the leak
 * counter and the shared-memory limit. {@link CudaDevice} is the real one; the tests also run the same host
 * code on an emulated device that executes the kernel sources on CPU threads.
 */
public interface KernelDevice {

    /** Allocates {@code bytes} of device memory. */
    DeviceBuffer allocate(long bytes);

    /**
     * Launches an entry point. It may still run when this returns: the next download from this device waits
     * for it (and {@link #synchronize} does explicitly). Arguments: Integer, Long, Float, Double, a DeviceBuffer of this
     * device, or null for a null device pointer, in the kernel's parameter order.
     */
    void launch(String entry, LaunchGeometry geometry, Object... args);

    /** Waits until every launch so far has finished (for timing; downloads already wait). */
    void synchronize();

    AllocationTracker tracker();

    /** Largest dynamic shared memory one block may use. */
    int sharedPerBlockOptIn();
}
