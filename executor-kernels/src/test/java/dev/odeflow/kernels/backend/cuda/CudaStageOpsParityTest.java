package dev.odeflow.kernels.backend.cuda;

/** RK stage kernels parity on the GPU (skipped with a message where there is none). */
class CudaStageOpsParityTest extends StageOpsParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.CUDA;
    }
}
