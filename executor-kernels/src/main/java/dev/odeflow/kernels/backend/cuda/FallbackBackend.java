package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.regularization.Regularization;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * {@code backend=auto} on a machine with CUDA: the primary (CUDA) backend for every architecture it supports,
 * the fallback (CPU) for the others and for every regularized system (the CUDA kernels do not integrate the
 * RNODE regularizers), logging the first fallback once. A primary kernel whose device fails
 * mid-task ({@link DeviceFailedException}) hands over to a fallback kernel ({@link FailoverKernel}, one log
 * line); the device then reports itself unsupported, so later tasks start on the fallback.
 */
public final class FallbackBackend implements ComputeBackend {

    private final ComputeBackend primary;
    private final BiFunction<CnfArchitecture, Probe, Optional<String>> unsupported;
    private final ComputeBackend fallback;
    private final Logger log;
    private final AtomicBoolean logged = new AtomicBoolean();

    public FallbackBackend(ComputeBackend primary, BiFunction<CnfArchitecture, Probe, Optional<String>> unsupported,
                           ComputeBackend fallback, Logger log) {
        this.primary = primary;
        this.unsupported = unsupported;
        this.fallback = fallback;
        this.log = log;
    }

    @Override
    public String name() {
        return primary.name();
    }

    /** The backend this architecture, with this regularization, runs on. */
    public ComputeBackend backendFor(CnfArchitecture arch, Probe probe, Regularization regularization) {
        Optional<String> why = regularization.active() ? Optional.of(Regularization.NOT_ON_CUDA)
                : unsupported.apply(arch, probe);
        if (why.isPresent()) {
            if (logged.compareAndSet(false, true)) {
                log.info("backend=auto: " + arch + " runs on " + fallback.name() + ": " + why.get());
            }
            return fallback;
        }
        return primary;
    }

    @Override
    public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe,
                               Regularization regularization) {
        ComputeBackend chosen = backendFor(arch, probe, regularization);
        CnfKernel kernel = chosen.cnfKernel(arch, theta, n, probe, regularization);
        if (chosen == fallback) {
            return kernel;
        }
        double[] initial = theta.clone();
        return new FailoverKernel(kernel, () -> fallback.cnfKernel(arch, initial, n, probe, regularization), log);
    }
}
