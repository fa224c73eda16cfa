package dev.odeflow.kernels.backend.cuda;

/**
 * Prints what the CUDA probe sees (driver version, devices, why not usable) and exits 0 only when CUDA is
 * usable, so bin/gpu-check refuses to report "all passed" when the GPU tests would merely have skipped.
 */
public final class CudaInfo {

    private CudaInfo() {
    }

    public static void main(String[] args) {
        CudaAvailability av = CudaProbe.availability();
        System.out.println("driver: " + CudaProbe.versionLabel(av.driverVersion()) + ", devices: " + av.deviceCount());
        if (!av.available()) {
            System.out.println("CUDA unusable: " + av.reason());
            System.exit(1);
        }
        CudaDevice d = CudaDevice.get(0);
        System.out.println("using " + d + ", shared memory per block (opt-in): " + d.sharedPerBlockOptIn() + " bytes");
    }
}
