package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.testing.LogCapture;
import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Probe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backend=auto when the GPU fails mid-task: the task goes on on the CPU, with the same numbers and one log line. */
class FailoverKernelTest {

    private static final CnfArchitecture ARCH = CnfArchitecture.ffjordToy();
    private static final int N = 7;

    private final LogCapture capture = new LogCapture();
    private final List<String> lines = capture.lines();
    private final Logger log = capture.logger("odeflow.test.failover");
    private final double[] theta = new OdeNet(ARCH.widths(), ARCH.layer(), ARCH.activation())
            .initialParameters(new Random(3));
    private final double[] y = CudaTestSupport.random(new Random(4), 3 * N, 1.0);
    private final double[] a = CudaTestSupport.random(new Random(5), 3 * N, 1.0);


    /** A "GPU" kernel: the CPU kernel for its first {@code healthyCalls} calls, then a sticky device error. */
    private static final class FailingKernel implements CnfKernel {
        final CnfKernel inner;
        int healthyCalls;
        boolean closed;

        FailingKernel(CnfKernel inner, int healthyCalls) {
            this.inner = inner;
            this.healthyCalls = healthyCalls;
        }

        private void call() {
            if (healthyCalls-- <= 0) {
                throw new DeviceFailedException("cuda:0 failed (CUDA_ERROR_ILLEGAL_ADDRESS)", null);
            }
        }

        @Override
        public int dim() {
            return inner.dim();
        }

        @Override
        public int paramDim() {
            return inner.paramDim();
        }

        @Override
        public void eval(double t, double[] y, double[] dydt) {
            call();
            inner.eval(t, y, dydt);
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
            call();
            return inner.vjp(t, y, a, f, gy, gTheta);
        }

        @Override
        public void close() {
            closed = true;
            inner.close();
        }
    }

    private final List<FailingKernel> made = new ArrayList<>();

    private FallbackBackend auto(int healthyCalls) {
        ComputeBackend gpu = new ComputeBackend() {
            @Override
            public String name() {
                return "cuda:0";
            }

            @Override
            public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe,
                                       Regularization regularization) {
                FailingKernel k = new FailingKernel(new CpuBackend().cnfKernel(arch, theta, n, probe, regularization),
                        healthyCalls);
                made.add(k);
                return k;
            }
        };
        return new FallbackBackend(gpu, (arch, probe) -> Optional.empty(), new CpuBackend(), log);
    }

    @Test
    void aDeviceFailureMidTaskContinuesOnTheCpuWithTheSameResults() {
        double[] f = new double[3 * N];
        double[] gy = new double[3 * N];
        double[] gTheta = new double[theta.length];
        double dt;
        try (CnfKernel cpu = new CpuBackend().cnfKernel(ARCH, theta, N, Probe.exact(2))) {
            cpu.eval(0.3, y, f);
            dt = cpu.vjp(0.3, y, a, null, gy, gTheta);
        }
        try (CnfKernel k = auto(1).cnfKernel(ARCH, theta, N, Probe.exact(2))) {
            double[] f1 = new double[3 * N];
            k.eval(0.3, y, f1);
            assertTrue(lines.isEmpty(), "no failure yet, but logged " + lines);
            double[] gy1 = new double[3 * N];
            double[] gTheta1 = new double[theta.length];
            double dt1 = k.vjp(0.3, y, a, null, gy1, gTheta1);
            assertArrayEquals(f, f1);
            assertArrayEquals(gy, gy1, "the failed call must not have added into gy before the retry");
            assertArrayEquals(gTheta, gTheta1);
            assertEquals(dt, dt1);
            assertTrue(((FailoverKernel) k).failedOver());
            assertTrue(made.get(0).closed, "the failed GPU kernel was not closed");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("continues on the CPU") && lines.get(0).contains("ILLEGAL_ADDRESS"),
                    lines.get(0));
            k.eval(0.3, y, f1);
            assertEquals(1, lines.size(), "the switch is logged once: " + lines);
        }
    }

    @Test
    void otherErrorsAreNotTakenForADeviceFailure() {
        try (CnfKernel k = auto(5).cnfKernel(ARCH, theta, N, Probe.exact(2))) {
            assertThrows(IndexOutOfBoundsException.class, () -> k.eval(0.3, new double[1], new double[3 * N]));
            assertFalse(((FailoverKernel) k).failedOver());
            assertTrue(lines.isEmpty(), lines.toString());
        }
    }

    @Test
    void stickyDriverErrorsAreToldApartFromRecoverableOnes() {
        assertTrue(DeviceFailedException.sticky("CUDA_ERROR_ILLEGAL_ADDRESS"));
        assertTrue(DeviceFailedException.sticky("CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure"));
        assertFalse(DeviceFailedException.sticky("CUDA_ERROR_OUT_OF_MEMORY"));
        assertFalse(DeviceFailedException.sticky("CUDA_ERROR_INVALID_VALUE"));
        assertFalse(DeviceFailedException.sticky(null));
    }
}
