package dev.odeflow.kernels.backend.cuda;

/**
 * Whether this JVM can use CUDA, and if not, why.
 *
 * @param available     driver, device, kernels and module all usable
 * @param reason        why not (empty when available)
 * @param deviceCount   CUDA devices seen by the driver (0 when the driver is missing)
 * @param driverVersion the driver's CUDA version as 1000 * major + 10 * minor (0 when unknown)
 */
public record CudaAvailability(boolean available, String reason, int deviceCount, int driverVersion) {

    public CudaAvailability {
        if (reason == null) {
            throw new IllegalArgumentException("reason is required (empty when available)");
        }
        if (!available && reason.isEmpty()) {
            throw new IllegalArgumentException("an unavailable CUDA needs a reason");
        }
    }

    public static CudaAvailability usable(int deviceCount, int driverVersion) {
        return new CudaAvailability(true, "", deviceCount, driverVersion);
    }

    public static CudaAvailability unusable(String reason, int deviceCount, int driverVersion) {
        return new CudaAvailability(false, reason, deviceCount, driverVersion);
    }
}
