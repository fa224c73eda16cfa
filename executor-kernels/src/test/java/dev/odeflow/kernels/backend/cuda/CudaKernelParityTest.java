package dev.odeflow.kernels.backend.cuda;

/** cnf_forward/cnf_vjp parity on the GPU (skipped with a message where there is none). */
class CudaKernelParityTest extends KernelParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.CUDA;
    }
}
