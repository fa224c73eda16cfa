package dev.odeflow.kernels.dynamics;

/**
 * {@link Gemm}'s kernels in float, for {@link Precision#FLOAT32} networks: the same products and row-wise
 * passes, the same fixed sequence of IEEE operations per output element (now in float, with
 * {@link FloatMath#tanh}), so the SIMD ({@code FloatVectorGemm}) and scalar ({@code FloatScalarGemm}) paths
 * agree bit for bit at every vector width. The SIMD path is on exactly when {@link Gemm#vectorized()}.
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

    /** act[base..) = tanh(pre[base..)) and d1[dBase..) = 1 − act² over n elements. */
    public static void tanh(float[] pre, int base, float[] act, float[] d1, int dBase, int n) {
        if (VECTOR) {
            FloatVectorGemm.tanh(pre, base, act, d1, dBase, n);
        } else {
            FloatScalarGemm.tanh(pre, base, act, d1, dBase, 0, n);
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

    /** Reverse of tanh for one sample's primal row and its m tangent rows: see {@link Gemm#tanhBackward}. */
    public static void tanhBackward(float[] g, float[] pre, float[] act, float[] d1, int pb, int dBase, int m,
                                    int n) {
        if (VECTOR) {
            FloatVectorGemm.tanhBackward(g, pre, act, d1, pb, dBase, m, n);
        } else {
            FloatScalarGemm.tanhBackward(g, pre, act, d1, pb, dBase, m, n, 0);
        }
    }
}
