package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the kernel contracts run: the real GPU (skipped, with the probe's reason, where there is none) or the
 * host emulation of the same kernel sources (skipped only where no g++ exists).
 */
interface DeviceUnderTest {

    /** Skips the calling test if this target cannot run here. */
    void assume();

    KernelDevice device();

    /** A CNF kernel on this target, through the same host code the backend uses. */
    CnfKernel kernel(CnfArchitecture arch, double[] theta, int n, Probe probe);

    DeviceUnderTest CUDA = new DeviceUnderTest() {
        @Override
        public void assume() {
            CudaTestSupport.assumeCuda();
        }

        @Override
        public KernelDevice device() {
            return CudaDevice.get(0);
        }

        @Override
        public CnfKernel kernel(CnfArchitecture arch, double[] theta, int n, Probe probe) {
            return new CudaBackend(0).cnfKernel(arch, theta, n, probe);
        }
    };

    DeviceUnderTest EMULATED = new DeviceUnderTest() {
        private final EmulatedDevice device = new EmulatedDevice();

        @Override
        public void assume() {
            Assumptions.assumeTrue(EmulatedDevice.emulator() != null,
                    () -> EmulatedDevice.unavailableReason() + " -- emulated kernel test skipped");
        }

        @Override
        public KernelDevice device() {
            return device;
        }

        @Override
        public CnfKernel kernel(CnfArchitecture arch, double[] theta, int n, Probe probe) {
            NetworkPlan plan = NetworkPlan.of(arch, probe.count());
            if (theta.length != plan.thetaSize()) {
                throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, " + arch
                        + " needs " + plan.thetaSize());
            }
            return new CudaCnfKernel(device, arch, theta, n, probe);
        }
    };
}
