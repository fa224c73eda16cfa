package dev.odeflow.kernels.backend.select;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.backend.cpu.CpuBackend;

import dev.odeflow.kernels.backend.cuda.CudaAvailability;
import dev.odeflow.kernels.backend.cuda.CudaBackend;
import dev.odeflow.kernels.backend.cuda.CudaProbe;

import java.util.OptionalInt;

/**
 * Chooses the compute backend for a {@link BackendKind}: {@code cpu} is always the CPU reference;
 * {@code cuda} is the CUDA backend on the given device (default 0) or a clear IllegalStateException when
 * no driver/device/kernels are usable; {@code auto} is CUDA where usable and otherwise the CPU, logging one
 * line (java.util.logging, logger {@code dev.odeflow.kernels.backend}) saying why. The CUDA probe runs once
 * per JVM.
 */
public final class Backends {

    private static final BackendSelector SELECTOR = new BackendSelector(Backends::probe, d -> new CudaBackend(d),
            CpuBackend::new, BackendSelector.LOG);

    private Backends() {
    }

    /** The CUDA probe, or "unusable" when the JCuda classes themselves are missing from the classpath. */
    private static CudaAvailability probe() {
        try {
            return CudaProbe.availability();
        } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
            return CudaAvailability.unusable("JCuda is not usable in this JVM (" + e + ")", 0, 0);
        }
    }

    /** The backend for {@code kind}; the CPU backend, where chosen, runs one thread per kernel. */
    public static ComputeBackend select(BackendKind kind, OptionalInt device) {
        return SELECTOR.select(kind, device);
    }

    /** As {@link #select(BackendKind, OptionalInt)}, with a CPU backend of {@code cpuThreads} threads. */
    public static ComputeBackend select(BackendKind kind, OptionalInt device, int cpuThreads) {
        if (cpuThreads < 1) {
            throw new IllegalArgumentException("CPU threads must be >= 1, got " + cpuThreads);
        }
        return SELECTOR.select(kind, device, () -> new CpuBackend(cpuThreads));
    }
}
