package dev.odeflow.kernels.backend.cuda;

/** cnf_forward/cnf_vjp parity on the host emulation of the kernel sources (GPU-free). */
class EmulatedKernelParityTest extends KernelParityContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.EMULATED;
    }
}
