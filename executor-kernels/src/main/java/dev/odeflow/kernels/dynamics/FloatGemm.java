package dev.odeflow.kernels.dynamics;

/**
 * {@link Gemm}'s kernels in float, for {@link Precision#FLOAT32} networks: the same products and row-wise
 * passes, the same fixed sequence of IEEE operations per output element (now in float, with
 * {@link FloatMath}'s tanh and softplus, which also write σ'' for the reverse pass), so the SIMD
 * ({@code FloatVectorGemm}) and scalar ({@code FloatScalarGemm}) paths agree bit for bit at every vector width. The SIMD path is on exactly when {@link Gemm#vectorized()}.
 */
public final class FloatGemm {

    private static final boolean VECTOR = Gemm.vectorized();

    private FloatGemm() {
    }

    /** y (rows×n) = x (rows×k) · a (k×n). */
    public static void mul(float[] x, float[] a, float[] y, int rows, int k, int n) {
        if (VECTOR) {
            FloatVectorGemm.mul(x, a, y, rows, k, n);
        } else {
            FloatScalarGemm.mul(x, a, y, rows, k, n);
        }
    }

    /** acc (k×n) += xᵀ (k×rows) · g (rows×n). */
    public static void mulAddTransposed(float[] x, float[] g, float[] acc, int rows, int k, int n) {
        if (VECTOR) {
            FloatVectorGemm.mulAddTransposed(x, g, acc, rows, k, n);
        } else {
            FloatScalarGemm.mulAddTransposed(x, g, acc, rows, k, n);
        }
    }

    /** dst[base..base+n) = src[base..) ⊙ scale + shift (shift may be null). */
    public static void scaleShift(float[] src, float[] dst, int base, float[] scale, float[] shift, int n) {
        if (VECTOR) {
            FloatVectorGemm.scaleShift(src, dst, base, scale, shift, n);
        } else {
            FloatScalarGemm.scaleShift(src, dst, base, scale, shift, 0, n);
        }
    }

    /** act[base..) = tanh(pre[base..)), d1[dBase..) = σ' and d2[dBase..) = σ'' over n elements. */
    public static void tanh(float[] pre, int base, float[] act, float[] d1, float[] d2, int dBase, int n) {
        if (VECTOR) {
            FloatVectorGemm.tanh(pre, base, act, d1, d2, dBase, n);
        } else {
            FloatScalarGemm.tanh(pre, base, act, d1, d2, dBase, 0, n);
        }
    }

    /** act[base..) = softplus(pre[base..)), d1[dBase..) = σ' and d2[dBase..) = σ'' over n elements. */
    public static void softplus(float[] pre, int base, float[] act, float[] d1, float[] d2, int dBase, int n) {
        if (VECTOR) {
            FloatVectorGemm.softplus(pre, base, act, d1, d2, dBase, n);
        } else {
            FloatScalarGemm.softplus(pre, base, act, d1, d2, dBase, 0, n);
        }
    }

    /** dst[base..) = d1[dBase..) ⊙ src[base..) over n elements. */
    public static void mulRows(float[] d1, int dBase, float[] src, float[] dst, int base, int n) {
        if (VECTOR) {
            FloatVectorGemm.mulRows(d1, dBase, src, dst, base, n);
        } else {
            FloatScalarGemm.mulRows(d1, dBase, src, dst, base, 0, n);
        }
    }

    /** sum[o] += g[base+o] (sum may be null) and dot[o] += g[base+o]·y[base+o] over n columns. */
    public static void accumulate(float[] g, float[] y, int base, float[] sum, float[] dot, int n) {
        if (VECTOR) {
            FloatVectorGemm.accumulate(g, y, base, sum, dot, n);
        } else {
            FloatScalarGemm.accumulate(g, y, base, sum, dot, 0, n);
        }
    }

    /**
     * Reverse of the activation for one sample's primal row (at pb) and its m tangent rows (stride n), from σ'
     * and σ'' of the primal row (at dBase): tangents g ← σ'·g; primal g ← σ'·g + σ''·s, s ← fma(pre_j, g_j, s)
     * over the tangents j ascending.
     */
    public static void activationBackward(float[] g, float[] pre, float[] d1, float[] d2, int pb, int dBase, int m,
                                          int n) {
        if (VECTOR) {
            FloatVectorGemm.activationBackward(g, pre, d1, d2, pb, dBase, m, n);
        } else {
            FloatScalarGemm.activationBackward(g, pre, d1, d2, pb, dBase, m, n, 0);
        }
    }
}
