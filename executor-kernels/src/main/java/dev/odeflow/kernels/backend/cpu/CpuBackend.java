package dev.odeflow.kernels.backend.cpu;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.backend.ComputeBackend;
import dev.odeflow.kernels.cnf.CnfSystem;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.OdeNet;
import dev.odeflow.kernels.trace.Probe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CPU reference backend, in the architecture's {@link dev.odeflow.kernels.dynamics.Precision} (double unless
 * it says float32): the twin every CUDA kernel is checked against.
 */
public final class CpuBackend implements ComputeBackend {

    /**
     * One network per architecture and JVM, so that the passes its kernels hand back on closing (and the
     * evaluations direct backprop kept) serve the next iteration's kernels without allocating.
     */
    private static final Map<CnfArchitecture, OdeNet> NETWORKS = new ConcurrentHashMap<>();

    private final int threads;

    /** One thread per kernel: the right choice inside Spark, where each task already owns a core. */
    public CpuBackend() {
        this(1);
    }

    /** Splits each batch over {@code threads} threads (for local runs and benchmarks). */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String name() {
        return threads == 1 ? "cpu" : "cpu(" + threads + " threads)";
    }

    @Override
    public CnfKernel cnfKernel(CnfArchitecture arch, double[] theta, int n, Probe probe) {
        return new CnfSystem(NETWORKS.computeIfAbsent(arch, OdeNet::new), theta, n, probe, threads);
    }
}
