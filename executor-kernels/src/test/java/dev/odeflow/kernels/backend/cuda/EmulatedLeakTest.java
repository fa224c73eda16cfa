package dev.odeflow.kernels.backend.cuda;

/** device memory release on the host emulation of the kernel sources (GPU-free). */
class EmulatedLeakTest extends LeakContract {

    @Override
    DeviceUnderTest target() {
        return DeviceUnderTest.EMULATED;
    }
}
