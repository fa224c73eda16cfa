package dev.odeflow.kernels.cnf;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.dynamics.BatchDynamics;

/**
 * The CPU reference of the augmented CNF system y = [Z (n×d), Δlogp (n)]:
 * dZ/dt = f(t, Z; θ), dΔlogp/dt = −s with s the probe's trace estimate. Its VJP pulls the cotangent of
 * Δlogp through the trace, which brings in the second-order terms. With {@link Probe#none()} the state is
 * Z alone: a plain neural ODE.
 */
public final class CnfSystem implements CnfKernel {

    private final BatchDynamics.Pass pass;
    private final double[] theta;
    private final int n;
    private final int d;
    private final Probe probe;
    private final double[] trace;
    private final double[] gTrace;

    public CnfSystem(BatchDynamics dynamics, double[] theta, int n, Probe probe) {
        if (theta.length != dynamics.layout().size()) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the dynamics need "
                    + dynamics.layout().size());
        }
        if (probe.directions() != null && probe.directions().length != n * probe.count() * dynamics.dim()) {
            throw new IllegalArgumentException("probe has " + probe.directions().length + " values, expected "
                    + n * probe.count() * dynamics.dim());
        }
        this.pass = dynamics.newPass(n);
        this.theta = theta;
        this.n = n;
        this.d = dynamics.dim();
        this.probe = probe;
        this.trace = probe.count() > 0 ? new double[n] : null;
        this.gTrace = probe.count() > 0 ? new double[n] : null;
    }

    /** Whether the state carries Δlogp after Z. */
    public boolean augmented() {
        return trace != null;
    }

    @Override
    public int dim() {
        return n * d + (augmented() ? n : 0);
    }

    @Override
    public int paramDim() {
        return theta.length;
    }

    @Override
    public void eval(double t, double[] y, double[] dydt) {
        pass.forward(t, theta, y, n, probe, dydt, trace);
        if (trace != null) {
            int off = n * d;
            for (int i = 0; i < n; i++) {
                dydt[off + i] = -trace[i];
            }
        }
    }

    @Override
    public double vjp(double t, double[] y, double[] a, double[] f, double[] gy, double[] gTheta) {
        if (f != null) {
            eval(t, y, f);
        } else {
            pass.forward(t, theta, y, n, probe, scratchF(), trace);
        }
        if (gTrace != null) {
            int off = n * d;
            for (int i = 0; i < n; i++) {
                gTrace[i] = -a[off + i];
            }
        }
        return pass.backward(a, gTrace, gy, gTheta);
    }

    private double[] fScratch;

    private double[] scratchF() {
        if (fScratch == null) {
            fScratch = new double[n * d];
        }
        return fScratch;
    }

    @Override
    public void close() {
        // nothing held off-heap
    }
}
