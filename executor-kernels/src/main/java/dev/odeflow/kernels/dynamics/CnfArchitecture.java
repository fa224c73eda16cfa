package dev.odeflow.kernels.dynamics;


import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of a CNF's dynamics network: data dimension, hidden widths, layer type and activation.
 * FFJORD's toy model is {@code new CnfArchitecture(2, new int[] {64, 64, 64}, CONCATSQUASH, TANH)}. The
 * constructor enforces {@link SizeLimits} (widths, layers, parameter count) before anything is allocated.
 */
public record CnfArchitecture(int dim, int[] hidden, LayerKind layer, Activation activation) implements Serializable {

    public CnfArchitecture {
        if (dim < 1) {
            throw new IllegalArgumentException("data dimension must be >= 1, got " + dim);
        }
        if (hidden == null || layer == null || activation == null) {
            throw new IllegalArgumentException("hidden widths, layer type and activation are required");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        hidden = hidden.clone();
        SizeLimits.checkArchitecture(dim, hidden, layer);
    }

    /** FFJORD's toy 2-D model: concatsquash 2→64→64→64→2 with tanh. */
    public static CnfArchitecture ffjordToy() {
        return new CnfArchitecture(2, new int[] {64, 64, 64}, LayerKind.CONCATSQUASH, Activation.TANH);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Widths of every layer boundary: dim, hidden..., dim. */
    public int[] widths() {
        int[] w = new int[hidden.length + 2];
        w[0] = dim;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = dim;
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CnfArchitecture a && a.dim == dim && Arrays.equals(a.hidden, hidden)
                && a.layer == layer && a.activation == activation;
    }

    @Override
    public int hashCode() {
        return dim * 31 + Arrays.hashCode(hidden) + layer.hashCode() + activation.hashCode();
    }

    @Override
    public String toString() {
        return layer.label() + " " + Arrays.toString(widths()) + " " + activation.label();
    }
}
