package dev.odeflow.kernels.backend.cuda;

/** RK stage kernels parity on the host emulation of the kernel sources (GPU-free). */
class EmulatedStageOpsParityTest extends StageOpsParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.EMULATED;
    }
}
