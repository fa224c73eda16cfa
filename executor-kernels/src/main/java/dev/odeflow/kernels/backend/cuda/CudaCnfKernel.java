package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.backend.CnfKernel;
import dev.odeflow.kernels.trace.Probe;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

import java.util.ArrayList;
import java.util.List;

/**
 * The augmented CNF dynamics on a CUDA device. States cross to the device as float32; θ is narrowed to float
 * once; parameter-gradient partial sums are double. {@link #eval} is one fused {@code cnf_forward} launch,
 * {@link #vjp} one fused {@code cnf_vjp} launch (forward, tangents, reverse with the second-order terms,
 * per-block partial sums) plus one {@code reduce_partials} launch. Every device buffer is allocated up front
 * and freed by {@link #close()} (also when construction fails). One instance per solve and thread.
 */
public final class CudaCnfKernel implements CnfKernel {

    private final KernelDevice device;
    private final NetworkPlan plan;
    private final CnfArchitecture arch;
    private final int n;
    private final int d;
    private final int m;
    private final int stateDim;
    private final LaunchGeometry cnfLaunch;
    private final LaunchGeometry reduceLaunch;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final DeviceBuffer theta;
    private final DeviceBuffer widths;
    private final DeviceBuffer probe;
    private final DeviceBuffer y;
    private final DeviceBuffer a;
    private final DeviceBuffer out;
    private final DeviceBuffer gz;
    private final DeviceBuffer scratch;
    private final DeviceBuffer partial;
    private final DeviceBuffer gradient;
    private final float[] hostState;
    private final float[] hostOut;
    private final float[] hostGz;
    private final double[] hostGradient;
    private boolean closed;

    /** Use {@link CudaBackend#cnfKernel}; the arguments are checked there. */
    CudaCnfKernel(KernelDevice device, CnfArchitecture arch, double[] theta, int n, Probe probe) {
        this.device = device;
        this.arch = arch;
        this.n = n;
        this.d = arch.dim();
        this.m = probe.count();
        this.plan = NetworkPlan.of(arch, m);
        this.stateDim = n * d + (m > 0 ? n : 0);
        this.cnfLaunch = LaunchGeometry.cover(n, LaunchGeometry.CNF_THREADS, plan.sharedBytes());
        this.reduceLaunch = LaunchGeometry.cover(plan.partialWidth(), LaunchGeometry.VECTOR_THREADS, 0);
        boolean ok = false;
        try {
            this.theta = alloc((long) Float.BYTES * plan.thetaSize());
            this.theta.upload(toFloat(theta));
            this.widths = alloc((long) Integer.BYTES * arch.widths().length);
            this.widths.upload(arch.widths());
            if (probe.directions() != null) {
                this.probe = alloc((long) Float.BYTES * probe.directions().length);
                this.probe.upload(toFloat(probe.directions()));
            } else {
                this.probe = null;
            }
            this.y = alloc((long) Float.BYTES * stateDim);
            this.a = alloc((long) Float.BYTES * stateDim);
            this.out = alloc((long) Float.BYTES * stateDim);
            this.gz = alloc((long) Float.BYTES * n * d);
            this.scratch = alloc((long) Float.BYTES * plan.scratchFloats(n));
            this.partial = alloc((long) Double.BYTES * cnfLaunch.blocks() * plan.partialWidth());
            this.gradient = alloc((long) Double.BYTES * plan.partialWidth());
            for (DeviceBuffer b : List.of(out, gz, partial, gradient)) {
                b.poison();
            }
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
        // host staging arrays only once the device side exists
        this.hostState = new float[stateDim];
        this.hostOut = new float[stateDim];
        this.hostGz = new float[n * d];
        this.hostGradient = new double[plan.partialWidth()];
    }

    private DeviceBuffer alloc(long bytes) {
        DeviceBuffer b = device.allocate(bytes);
        owned.add(b);
        return b;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    public NetworkPlan plan() {
        return plan;
    }

    public KernelDevice device() {
        return device;
    }

    @Override
    public int dim() {
        return stateDim;
    }

    @Override
    public int paramDim() {
        return plan.thetaSize();
    }

    @Override
    public void eval(double t, double[] yHost, double[] dydt) {
        upload(y, yHost, "state");
        device.launch("cnf_forward", cnfLaunch, n, plan.layers(), widths, KernelCodes.layer(arch.layer()),
                KernelCodes.activation(arch.activation()), theta, plan.thetaSize(), (float) t, m, probe, y, out,
                scratch, (long) n);
        out.download(hostOut);
        for (int i = 0; i < stateDim; i++) {
            dydt[i] = hostOut[i];
        }
    }

    /**
     * Device-resident evaluation, no host transfer: dydt = f(t, y) with y and dydt in device memory of this
     * kernel's device, {@link #dim()} floats each (a device-side solve loop or the benchmark's kernel-only rate).
     */
    public void evalResident(double t, DeviceBuffer yDevice, DeviceBuffer dydtDevice) {
        if (closed) {
            throw new IllegalStateException("CUDA CNF kernel used after close");
        }
        long bytes = (long) Float.BYTES * stateDim;
        if (yDevice.bytes() < bytes || dydtDevice.bytes() < bytes) {
            throw new IllegalArgumentException("device state buffers of " + yDevice.bytes() + " and " + dydtDevice.bytes()
                    + " bytes, expected at least " + bytes);
        }
        device.launch("cnf_forward", cnfLaunch, n, plan.layers(), widths, KernelCodes.layer(arch.layer()),
                KernelCodes.activation(arch.activation()), theta, plan.thetaSize(), (float) t, m, probe, yDevice,
                dydtDevice, scratch, (long) n);
    }

    @Override
    public double vjp(double t, double[] yHost, double[] aHost, double[] f, double[] gy, double[] gTheta) {
        upload(y, yHost, "state");
        upload(a, aHost, "cotangent");
        device.launch("cnf_vjp", cnfLaunch, n, plan.layers(), widths, KernelCodes.layer(arch.layer()),
                KernelCodes.activation(arch.activation()), theta, plan.thetaSize(), (float) t, m, probe, y, a, out,
                gz, scratch, (long) n, partial);
        device.launch("reduce_partials", reduceLaunch, cnfLaunch.blocks(), plan.partialWidth(), partial, gradient);
        // every transfer before any accumulation: a failed device leaves gy and gTheta as they were
        if (f != null) {
            out.download(hostOut);
        }
        gz.download(hostGz);
        gradient.download(hostGradient);
        if (f != null) {
            for (int i = 0; i < stateDim; i++) {
                f[i] = hostOut[i];
            }
        }
        for (int i = 0; i < hostGz.length; i++) {
            gy[i] += hostGz[i];
        }
        for (int e = 0; e < plan.thetaSize(); e++) {
            gTheta[e] += hostGradient[e];
        }
        return hostGradient[plan.thetaSize()];
    }

    private void upload(DeviceBuffer target, double[] v, String what) {
        if (closed) {
            throw new IllegalStateException("CUDA CNF kernel used after close");
        }
        if (v.length < stateDim) {
            throw new IllegalArgumentException(what + " has " + v.length + " entries, expected " + stateDim);
        }
        for (int i = 0; i < stateDim; i++) {
            hostState[i] = (float) v[i];
        }
        target.upload(hostState);
    }

    /** Frees every device buffer this kernel allocated (idempotent; all are attempted even if one fails). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DeviceBuffer.closeAll(owned);
    }
}
