package dev.odeflow.kernels.backend.cuda;

/** device memory release on the GPU (skipped with a message where there is none). */
class CudaLeakTest extends LeakContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.CUDA;
    }
}
