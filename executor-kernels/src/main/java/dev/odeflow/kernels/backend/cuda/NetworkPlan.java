package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

/**
 * What the CNF kernels assume about a network, computed on the host exactly as the device code does
 * (cnf_network.cuh / cnf_dynamics.cuh): per-layer parameter offsets into θ, the scratch rows per sample and
 * the dynamic shared memory. θ is the CPU layout unchanged (only narrowed to float), so
 * {@link #layerOffset(int)} must agree with the CPU backend's parameter layout.
 *
 * @param widths      layer boundary widths: d, hidden..., d
 * @param kind        layer type
 * @param directions  probe directions per sample m (0: no trace)
 */
public record NetworkPlan(int[] widths, LayerKind kind, int directions) {

    public NetworkPlan {
        if (widths == null || widths.length < 2) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        if (directions < 0) {
            throw new IllegalArgumentException("probe directions must be >= 0, got " + directions);
        }
        widths = widths.clone();
    }

    public static NetworkPlan of(CnfArchitecture arch, int directions) {
        return new NetworkPlan(arch.widths(), arch.layer(), directions);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    public int layers() {
        return widths.length - 1;
    }

    public int dim() {
        return widths[0];
    }

    /** Parameters of layer l (layer_param_count). */
    public int layerParams(int l) {
        int in = widths[l];
        int out = widths[l + 1];
        return kind == LayerKind.CONCATSQUASH ? out * in + 4 * out : out * (in + 1) + out;
    }

    /** Offset of layer l's first parameter in θ. */
    public int layerOffset(int l) {
        int off = 0;
        for (int i = 0; i < l; i++) {
            off += layerParams(i);
        }
        return off;
    }

    /** Length of θ (without sqrt_end_time). */
    public int thetaSize() {
        return layerOffset(layers());
    }

    public int maxWidth() {
        int w = 0;
        for (int x : widths) {
            w = Math.max(w, x);
        }
        return w;
    }

    /** Scratch rows of the forward records X_l and P_l of every layer (forward_rows). */
    public long forwardRows() {
        long rows = 0;
        for (int l = 0; l < layers(); l++) {
            rows += (long) (1 + directions) * (widths[l] + widths[l + 1]);
        }
        return rows;
    }

    /** All scratch rows per sample: forward records, then H, Pbar ((1+m)·maxW each), Hbar, Gpre (maxW), tbar. */
    public long scratchRows() {
        return forwardRows() + 2L * (1 + directions) * maxWidth() + 2L * maxWidth() + 1;
    }

    /** Scratch floats for n samples (one column per sample). */
    public long scratchFloats(int n) {
        return scratchRows() * n;
    }

    /**
     * Floating-point operations of the layer products in one evaluation of the augmented dynamics for n samples:
     * 2·Σ in·out per product, 1 + m products per layer (the values and the m tangents). The vector–Jacobian
     * product counts three times that (the forward again, the transposed products, the parameter-gradient
     * products). The nominal count the benchmarks divide by, the same as the torchdiffeq side's.
     */
    public double productFlops(int n, boolean vjp) {
        double perRow = 0;
        for (int l = 0; l < layers(); l++) {
            perRow += 2.0 * widths[l] * widths[l + 1];
        }
        return perRow * (1 + directions) * n * (vjp ? 3 : 1);
    }

    /** Dynamic shared memory of cnf_forward / cnf_vjp: θ as floats, then the widths as ints. */
    public int sharedBytes() {
        return Float.BYTES * thetaSize() + Integer.BYTES * widths.length;
    }

    /** Length of one block's row of partial sums: θ, then ∂/∂t. */
    public int partialWidth() {
        return thetaSize() + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkPlan p && java.util.Arrays.equals(p.widths, widths) && p.kind == kind
                && p.directions == directions;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(widths) * 31 + kind.hashCode() * 7 + directions;
    }

    @Override
    public String toString() {
        return kind.label() + java.util.Arrays.toString(widths) + " m=" + directions;
    }
}
