package dev.odeflow.kernels.dynamics;


import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of a CNF's dynamics network: data dimension, hidden widths, layer type, activation, and the
 * {@link Precision} its layers compute in (the parameters are the same either way).
 * FFJORD's toy model is {@code new CnfArchitecture(2, new int[] {64, 64, 64}, CONCATSQUASH, TANH)} (float64);
 * {@link #withPrecision} gives its float32 twin. The constructor enforces {@link SizeLimits} (widths, layers,
 * parameter count) before anything is allocated.
 */
public record CnfArchitecture(int dim, int[] hidden, LayerKind layer, Activation activation, Precision precision)
        implements Serializable {

    public CnfArchitecture {
        if (dim < 1) {
            throw new IllegalArgumentException("data dimension must be >= 1, got " + dim);
        }
        if (hidden == null || layer == null || activation == null || precision == null) {
            throw new IllegalArgumentException("hidden widths, layer type, activation and precision are required");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        hidden = hidden.clone();
        SizeLimits.checkArchitecture(dim, hidden, layer);
    }

    /** A {@link Precision#FLOAT64} network. */
    public CnfArchitecture(int dim, int[] hidden, LayerKind layer, Activation activation) {
        this(dim, hidden, layer, activation, Precision.FLOAT64);
    }

    /** The same network computing in {@code p}. */
    public CnfArchitecture withPrecision(Precision p) {
        return new CnfArchitecture(dim, hidden, layer, activation, p);
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
                && a.layer == layer && a.activation == activation && a.precision == precision;
    }

    @Override
    public int hashCode() {
        return dim * 31 + Arrays.hashCode(hidden) + layer.hashCode() + activation.hashCode()
                + 7 * precision.hashCode();
    }

    @Override
    public String toString() {
        return layer.label() + " " + Arrays.toString(widths()) + " " + activation.label()
                + (precision == Precision.FLOAT64 ? "" : " " + precision.label());
    }
}
