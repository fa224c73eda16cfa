package dev.odeflow.kernels.backend;

import dev.odeflow.kernels.solver.DifferentiableSystem;

/**
 * One solve's augmented CNF dynamics on some backend: {@link #eval} is one fused forward evaluation
 * (f, tangents and trace), {@link #vjp} its reverse including the second-order terms of the trace.
 */
public interface CnfKernel extends DifferentiableSystem, AutoCloseable {

    /** Frees whatever the kernel holds (device memory). Idempotent. */
    @Override
    void close();
}
