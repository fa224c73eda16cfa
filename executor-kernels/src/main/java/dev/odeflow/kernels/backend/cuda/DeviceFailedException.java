package dev.odeflow.kernels.backend.cuda;

import java.util.Set;

/**
 * A CUDA device that can no longer be used in this process: a sticky error (an illegal address, a failed or
 * timed-out launch, a hardware fault) corrupted its context, so every later call on it would fail too. The
 * device closes its context when this happens; under {@code backend=auto} the task goes on on the CPU.
 */
public final class DeviceFailedException extends IllegalStateException {

    /** The driver errors after which the context is unusable (CUresult names, as JCuda reports them). */
    private static final Set<String> STICKY = Set.of("CUDA_ERROR_ILLEGAL_ADDRESS", "CUDA_ERROR_LAUNCH_FAILED",
            "CUDA_ERROR_LAUNCH_TIMEOUT", "CUDA_ERROR_ILLEGAL_INSTRUCTION", "CUDA_ERROR_MISALIGNED_ADDRESS",
            "CUDA_ERROR_INVALID_ADDRESS_SPACE", "CUDA_ERROR_INVALID_PC", "CUDA_ERROR_HARDWARE_STACK_ERROR",
            "CUDA_ERROR_ASSERT", "CUDA_ERROR_ECC_UNCORRECTABLE", "CUDA_ERROR_CONTEXT_IS_DESTROYED");

    public DeviceFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether a driver error message (JCuda's CudaException: the CUresult name first) is a sticky error. */
    static boolean sticky(String driverMessage) {
        if (driverMessage == null) {
            return false;
        }
        String code = driverMessage.strip().split("[\\s:(]", 2)[0];
        return STICKY.contains(code);
    }
}
