package dev.odeflow.kernels.backend.select;

import dev.odeflow.kernels.testing.LogCapture;
import dev.odeflow.kernels.backend.cuda.CudaAvailability;
import dev.odeflow.kernels.backend.cuda.CudaBackend;
import dev.odeflow.kernels.backend.cuda.CudaProbe;
import dev.odeflow.kernels.backend.cuda.FallbackBackend;
import dev.odeflow.kernels.backend.cuda.NetworkPlan;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.backend.cpu.CpuBackend;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** auto|cpu|cuda selection, on this machine's real probe and with injected availability. GPU-free. */
class BackendSelectionTest {

    private static void assumeNoCuda() {
        Assumptions.assumeFalse(CudaProbe.availability().available(),
                "CUDA is usable on this machine; the no-GPU fallback is checked where there is no GPU");
    }

    @Test
    void cpuIsAlwaysTheCpu() {
        assertInstanceOf(CpuBackend.class, Backends.select(BackendKind.CPU, OptionalInt.empty()));
        assertEquals("cpu", Backends.select(BackendKind.CPU, OptionalInt.of(3)).name());
        assertInstanceOf(CpuBackend.class, Backends.select(BackendKind.CPU, OptionalInt.empty(), 4));
        assertThrows(IllegalArgumentException.class, () -> Backends.select(BackendKind.CPU, OptionalInt.empty(), 0));
    }

    @Test
    void theCallersCpuFactoryIsUsedWhereTheCpuIsChosen() {
        ComputeBackend mine = new CpuBackend(3);
        BackendSelector selector = new BackendSelector(() -> CudaAvailability.unusable("no GPU in this test", 0, 0),
                d -> {
                    throw new AssertionError("CUDA must not be built");
                }, CpuBackend::new, new LogCapture().logger("odeflow.test.cpu-factory"));
        assertSame(mine, selector.select(BackendKind.CPU, OptionalInt.empty(), () -> mine));
        assertSame(mine, selector.select(BackendKind.AUTO, OptionalInt.empty(), () -> mine));
    }

    @Test
    void autoWithoutGpuFallsBackToTheCpuAndLogsWhyOnce() {
        assumeNoCuda();
        CudaAvailability av = CudaProbe.availability();
        assertFalse(av.reason().isBlank());
        LogCapture c = new LogCapture();
        BackendSelector selector = new BackendSelector(CudaProbe::availability, CudaBackend::new, CpuBackend::new,
                c.logger("odeflow.test.auto-fallback"));
        assertInstanceOf(CpuBackend.class, selector.select(BackendKind.AUTO, OptionalInt.empty()));
        assertInstanceOf(CpuBackend.class, selector.select(BackendKind.AUTO, OptionalInt.of(0)));
        assertEquals(1, c.lines().size(), "one line, once: " + c.lines());
        assertTrue(c.lines().get(0).contains("using the CPU because") && c.lines().get(0).contains(av.reason()),
                c.lines().get(0));
        assertInstanceOf(CpuBackend.class, Backends.select(BackendKind.AUTO, OptionalInt.empty()));
    }

    @Test
    void explicitCudaWithoutGpuIsAClearError() {
        assumeNoCuda();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.select(BackendKind.CUDA, OptionalInt.empty()));
        assertTrue(e.getMessage().contains("backend=cuda") && e.getMessage().contains(CudaProbe.availability().reason()),
                e.getMessage());
    }

    @Test
    void probeIsCachedPerJvm() {
        assertSame(CudaProbe.availability(), CudaProbe.availability());
    }

    @Test
    void withCudaAvailableAutoAndCudaUseTheGpuAndBadDevicesAreErrors() {
        ComputeBackend fakeGpu = new ComputeBackend() {
            @Override
            public String name() {
                return "cuda:0";
            }

            @Override
            public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe,
                                       Regularization regularization) {
                throw new AssertionError("not called");
            }
        };
        LogCapture c = new LogCapture();
        BackendSelector selector = new BackendSelector(() -> CudaAvailability.usable(2, 13000), d -> fakeGpu,
                CpuBackend::new, c.logger("odeflow.test.auto-gpu"));
        assertSame(fakeGpu, selector.select(BackendKind.AUTO, OptionalInt.empty()));
        assertSame(fakeGpu, selector.select(BackendKind.CUDA, OptionalInt.of(1)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> selector.select(BackendKind.CUDA, OptionalInt.of(2)));
        assertTrue(e.getMessage().contains("device 2") && e.getMessage().contains("2 device"), e.getMessage());
        assertTrue(c.lines().isEmpty(), "nothing to say when CUDA is used: " + c.lines());
    }

    @Test
    void autoFallsBackPerArchitectureWhenCudaCannotRunIt() {
        ComputeBackend cpu = new CpuBackend();
        ComputeBackend gpu = new ComputeBackend() {
            @Override
            public String name() {
                return "cuda:0";
            }

            @Override
            public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe,
                                       Regularization regularization) {
                throw new AssertionError("unsupported architecture reached the GPU");
            }
        };
        CnfArchitecture small = CnfArchitecture.ffjordToy();
        CnfArchitecture big = new CnfArchitecture(2, new int[] {512, 512}, LayerKind.CONCATSQUASH, Activation.TANH);
        LogCapture c = new LogCapture();
        FallbackBackend auto = new FallbackBackend(gpu, (a, p) -> CudaBackend.unsupportedReason(
                NetworkPlan.of(a, p.count()), 227 * 1024), cpu, c.logger("odeflow.test.per-arch"));
        assertSame(gpu, auto.backendFor(small, Probe.exact(2), Regularization.none()));
        assertSame(cpu, auto.backendFor(big, Probe.exact(2), Regularization.none()));
        assertSame(cpu, auto.backendFor(big, Probe.none(), Regularization.none()));
        assertEquals(1, c.lines().size(), c.lines().toString());
        assertTrue(c.lines().get(0).contains("not supported on CUDA"), c.lines().get(0));
        assertEquals(Optional.empty(), CudaBackend.unsupportedReason(NetworkPlan.of(small, 2), 48 * 1024));
    }

    @Test
    void autoRunsRegularizedSystemsOnTheCpuAndCudaSettingsRefuseThem() {
        ComputeBackend cpu = new CpuBackend();
        ComputeBackend gpu = new CpuBackend(2);
        LogCapture c = new LogCapture();
        FallbackBackend auto = new FallbackBackend(gpu, (a, p) -> Optional.empty(), cpu,
                c.logger("odeflow.test.regularized"));
        CnfArchitecture toy = CnfArchitecture.ffjordToy();
        assertSame(gpu, auto.backendFor(toy, Probe.exact(2), Regularization.none()));
        assertSame(cpu, auto.backendFor(toy, Probe.exact(2), new Regularization(0.01, 0)));
        assertSame(cpu, auto.backendFor(toy, Probe.exact(2), new Regularization(0, 0.01)));
        assertEquals(1, c.lines().size(), c.lines().toString());
        assertTrue(c.lines().get(0).contains("regularization.l2int"), c.lines().get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnfSettings.ffjordToy().withRegularization(new Regularization(0.01, 0.01))
                        .withBackend(BackendKind.CUDA));
        assertTrue(e.getMessage().contains("regularization.l2int") && e.getMessage().contains("regularization.JFrobint")
                && e.getMessage().contains("CUDA"), e.getMessage());
    }

    @Test
    void unusableAvailabilityNeedsAReason() {
        assertThrows(IllegalArgumentException.class, () -> CudaAvailability.unusable("", 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new BackendSelector(() -> CudaAvailability.usable(1, 0), d -> null, CpuBackend::new,
                        Logger.getLogger("odeflow.test.x")).select(null, OptionalInt.empty()));
    }
}
