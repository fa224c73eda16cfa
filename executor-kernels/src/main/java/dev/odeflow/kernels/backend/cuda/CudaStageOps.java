package dev.odeflow.kernels.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused Runge–Kutta stage arithmetic of a device-resident solve: {@link #combine} is one
 * {@code rk_combine} launch for Y = y + h Σ_j a_j k_j, {@link #errorNorm} one {@code rk_error_norm_partial}
 * launch plus one {@code reduce_partials} launch for the scaled RMS norm of h Σ_j e_j k_j, the same value as
 * {@link dev.odeflow.kernels.solver.ErrorNorm#apply} over the first {@code prefix} components. The stages are
 * separate device buffers, one coefficient each, at most {@link #MAX_STAGES}. Owns small coefficient and
 * partial-sum buffers for states up to {@code maxDim}; close frees them.
 */
public final class CudaStageOps implements AutoCloseable {

    /** Stage pointers the kernels take (ODEFLOW_MAX_STAGES); enough for every tableau up to dopri5/tsit5. */
    public static final int MAX_STAGES = 7;

    private final KernelDevice device;
    private final int maxDim;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final DeviceBuffer coefficients;
    private final DeviceBuffer partial;
    private final DeviceBuffer sum;
    private boolean closed;

    public CudaStageOps(KernelDevice device, int maxDim) {
        if (maxDim < 1) {
            throw new IllegalArgumentException("stage ops need a positive state size, got " + maxDim);
        }
        this.device = device;
        this.maxDim = maxDim;
        boolean ok = false;
        try {
            coefficients = alloc((long) Double.BYTES * MAX_STAGES);
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

    /**
     * out[0, dim) = y + h Σ_j a[j] k[j] (float32 states, double coefficients and sum); out must not alias y or a
     * stage.
     */
    public void combine(int dim, DeviceBuffer y, List<DeviceBuffer> k, double[] a, double h, DeviceBuffer out) {
        check(dim, k, a);
        coefficients.upload(a);
        Object[] args = new Object[2 + 1 + MAX_STAGES + 3];
        args[0] = dim;
        args[1] = a.length;
        args[2] = y;
        stages(k, args, 3);
        args[3 + MAX_STAGES] = coefficients;
        args[4 + MAX_STAGES] = h;
        args[5 + MAX_STAGES] = out;
        device.launch("rk_combine", LaunchGeometry.cover(dim, LaunchGeometry.VECTOR_THREADS, 0), args);
    }

    /** sqrt(mean over i < prefix of ((h Σ_j e[j] k_j,i) / (atol + rtol·max(|y0_i|, |y1_i|)))²). */
    public double errorNorm(int dim, int prefix, DeviceBuffer y0, DeviceBuffer y1, List<DeviceBuffer> k, double[] e,
                            double h, double rtol, double atol) {
        check(dim, k, e);
        int m = Math.min(prefix, dim);
        if (m < 1) {
            throw new IllegalArgumentException("error norm prefix must be positive, got " + prefix);
        }
        coefficients.upload(e);
        LaunchGeometry g = LaunchGeometry.cover(m, LaunchGeometry.VECTOR_THREADS, 0);
        Object[] args = new Object[4 + MAX_STAGES + 5];
        args[0] = m;
        args[1] = e.length;
        args[2] = y0;
        args[3] = y1;
        stages(k, args, 4);
        args[4 + MAX_STAGES] = coefficients;
        args[5 + MAX_STAGES] = h;
        args[6 + MAX_STAGES] = rtol;
        args[7 + MAX_STAGES] = atol;
        args[8 + MAX_STAGES] = partial;
        device.launch("rk_error_norm_partial", g, args);
        device.launch("reduce_partials", LaunchGeometry.cover(1, 1, 0), g.blocks(), 1, partial, sum);
        double[] s = new double[1];
        sum.download(s);
        return Math.sqrt(s[0] / m);
    }

    /** Stage j at args[from + j]; null (never read: zero coefficient or j ≥ stages) for the unused slots. */
    private static void stages(List<DeviceBuffer> k, Object[] args, int from) {
        for (int j = 0; j < MAX_STAGES; j++) {
            args[from + j] = j < k.size() ? k.get(j) : null;
        }
    }

    private void check(int dim, List<DeviceBuffer> k, double[] coefficients) {
        if (closed) {
            throw new IllegalStateException("stage ops used after close");
        }
        if (dim < 1 || dim > maxDim) {
            throw new IllegalArgumentException("state size " + dim + " outside 1.." + maxDim);
        }
        if (coefficients.length < 1 || coefficients.length > MAX_STAGES || coefficients.length != k.size()) {
            throw new IllegalArgumentException(coefficients.length + " stage coefficients for " + k.size()
                    + " stages, expected the same number, 1.." + MAX_STAGES);
        }
        for (int j = 0; j < k.size(); j++) {
            if (k.get(j) == null && coefficients[j] != 0) {
                throw new IllegalArgumentException("stage " + j + " has coefficient " + coefficients[j] + " but no buffer");
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DeviceBuffer.closeAll(owned);
    }
}
