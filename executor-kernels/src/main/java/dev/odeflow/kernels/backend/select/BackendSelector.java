package dev.odeflow.kernels.backend.select;

import dev.odeflow.kernels.backend.cuda.CudaAvailability;
import dev.odeflow.kernels.backend.cuda.CudaBackend;
import dev.odeflow.kernels.backend.cuda.FallbackBackend;

import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.backend.ComputeBackend;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The {@code auto|cpu|cuda} decision with its inputs injected (availability probe, backend factories,
 * logger) so it is testable without a GPU; {@link dev.odeflow.kernels.backend.select.Backends} holds the JVM's one
 * instance. Thread-safe; the fallback reason is logged once per selector.
 */
public final class BackendSelector {

    /** The logger of backend decisions. */
    public static final Logger LOG = Logger.getLogger("dev.odeflow.kernels.backend");

    private final Supplier<CudaAvailability> availability;
    private final IntFunction<ComputeBackend> cuda;
    private final Supplier<ComputeBackend> cpu;
    private final Logger log;
    private final AtomicBoolean loggedFallback = new AtomicBoolean();

    public BackendSelector(Supplier<CudaAvailability> availability, IntFunction<ComputeBackend> cuda,
                           Supplier<ComputeBackend> cpu, Logger log) {
        this.availability = availability;
        this.cuda = cuda;
        this.cpu = cpu;
        this.log = log;
    }

    /**
     * CPU: the CPU. CUDA: the given device (default 0), or an IllegalStateException saying why CUDA is
     * unusable. AUTO: CUDA (with a per-architecture CPU fallback) where usable, else the CPU after logging
     * why, once.
     */
    public ComputeBackend select(BackendKind kind, OptionalInt device) {
        return select(kind, device, cpu);
    }

    /** As {@link #select(BackendKind, OptionalInt)} with this CPU backend factory (e.g. a thread count). */
    public ComputeBackend select(BackendKind kind, OptionalInt device, Supplier<ComputeBackend> cpu) {
        if (kind == null || device == null || cpu == null) {
            throw new IllegalArgumentException("backend kind, device (possibly empty) and CPU factory are required");
        }
        return switch (kind) {
            case CPU -> cpu.get();
            case CUDA -> {
                CudaAvailability av = availability.get();
                if (!av.available()) {
                    throw new IllegalStateException("backend=cuda was requested but CUDA is unusable: " + av.reason()
                            + " (use backend=auto to fall back to the CPU)");
                }
                yield cuda.apply(ordinal(device, av));
            }
            case AUTO -> {
                CudaAvailability av = availability.get();
                if (!av.available()) {
                    if (loggedFallback.compareAndSet(false, true)) {
                        log.info("backend=auto: using the CPU because " + av.reason());
                    }
                    yield cpu.get();
                }
                ComputeBackend gpu = cuda.apply(ordinal(device, av));
                yield gpu instanceof CudaBackend c
                        ? new FallbackBackend(c, c::unsupported, cpu.get(), log)
                        : gpu;
            }
        };
    }

    private static int ordinal(OptionalInt device, CudaAvailability av) {
        int d = device.orElse(0);
        if (d < 0 || d >= av.deviceCount()) {
            throw new IllegalStateException("CUDA device " + d + " requested but the driver sees " + av.deviceCount()
                    + " device(s) (0.." + (av.deviceCount() - 1) + ")");
        }
        return d;
    }
}
