package dev.odeflow.kernels.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused Runge–Kutta stage arithmetic of a device-resident solve: {@link #combine} is one
 * {@code rk_combine} launch for Y = y + h Σ_j a_j k_j, {@link #errorNorm} one {@code rk_error_norm_partial}
 * launch plus one {@code reduce_partials} launch for the scaled RMS norm of h Σ_j e_j k_j, the same value as
 * {@link dev.odeflow.kernels.solver.ErrorNorm#apply} over the first {@code prefix} components. Stages lie back
 * to back in one buffer: stage j of component i at float index j·kStride + i. Owns small coefficient and
 * partial-sum buffers for states up to {@code maxDim} and up to {@code maxStages} stages; close frees them.
 */
public final class CudaStageOps implements AutoCloseable {

    private final KernelDevice device;
    private final int maxDim;
    private final int maxStages;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final DeviceBuffer coefficients;
    private final DeviceBuffer partial;
    private final DeviceBuffer sum;
    private boolean closed;

    public CudaStageOps(KernelDevice device, int maxDim, int maxStages) {
        if (maxDim < 1 || maxStages < 1) {
            throw new IllegalArgumentException("stage ops need a positive state size and stage count, got "
                    + maxDim + " and " + maxStages);
        }
        this.device = device;
        this.maxDim = maxDim;
        this.maxStages = maxStages;
        boolean ok = false;
        try {
            coefficients = alloc((long) Double.BYTES * maxStages);
            partial = alloc((long) Double.BYTES * LaunchGeometry.cover(maxDim, LaunchGeometry.VECTOR_THREADS, 0).blocks());
            sum = alloc(Double.BYTES);
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    private DeviceBuffer alloc(long bytes) {
        DeviceBuffer b = device.allocate(bytes);
        owned.add(b);
        return b;
    }

    /** out[0, dim) = y + h Σ_j a[j] k_j (float32 states, double coefficients and sum). */
    public void combine(int dim, DeviceBuffer y, DeviceBuffer k, long kStride, double[] a, double h, DeviceBuffer out) {
        check(dim, a);
        coefficients.upload(a);
        device.launch("rk_combine", LaunchGeometry.cover(dim, LaunchGeometry.VECTOR_THREADS, 0), dim, a.length, y, k,
                kStride, coefficients, h, out);
    }

    /** sqrt(mean over i < prefix of ((h Σ_j e[j] k_j,i) / (atol + rtol·max(|y0_i|, |y1_i|)))²). */
    public double errorNorm(int dim, int prefix, DeviceBuffer y0, DeviceBuffer y1, DeviceBuffer k, long kStride,
                            double[] e, double h, double rtol, double atol) {
        check(dim, e);
        int m = Math.min(prefix, dim);
        if (m < 1) {
            throw new IllegalArgumentException("error norm prefix must be positive, got " + prefix);
        }
        coefficients.upload(e);
        LaunchGeometry g = LaunchGeometry.cover(m, LaunchGeometry.VECTOR_THREADS, 0);
        device.launch("rk_error_norm_partial", g, m, e.length, y0, y1, k, kStride, coefficients, h, rtol, atol, partial);
        device.launch("reduce_partials", LaunchGeometry.cover(1, 1, 0), g.blocks(), 1, partial, sum);
        double[] s = new double[1];
        sum.download(s);
        return Math.sqrt(s[0] / m);
    }

    private void check(int dim, double[] coefficients) {
        if (closed) {
            throw new IllegalStateException("stage ops used after close");
        }
        if (dim < 1 || dim > maxDim) {
            throw new IllegalArgumentException("state size " + dim + " outside 1.." + maxDim);
        }
        if (coefficients.length < 1 || coefficients.length > maxStages) {
            throw new IllegalArgumentException(coefficients.length + " stage coefficients, expected 1.." + maxStages);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (DeviceBuffer b : owned) {
            try {
                b.close();
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
