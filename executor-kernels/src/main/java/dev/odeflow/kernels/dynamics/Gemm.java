package dev.odeflow.kernels.dynamics;

import java.util.logging.Logger;

/**
 * The dense kernels the networks need, row-major throughout: the products {@link #mul} y = x·a and
 * {@link #mulAddTransposed} acc += xᵀ·g, and the row-wise passes ({@link #scaleShift}, {@link #tanh},
 * {@link #mulRows}, {@link #accumulate}, {@link #tanhBackward}). With the {@code jdk.incubator.vector} module
 * present (the launchers, Surefire and spark-defaults add it) they run as explicit SIMD ({@code VectorGemm},
 * the products about 10× the scalar loops on AVX2); without it, or with {@code -Dodeflow.scalar=true}, as
 * plain loops ({@code ScalarGemm}), and say so once.
 *
 * <p><b>Every output element has one fixed sequence of IEEE operations</b>, whichever path, vector width
 * (128/256/512 bits), blocking or JIT state computes it, so the two paths agree bit for bit:
 * <ul>
 *   <li>{@code mul}: y[r][o] = fma(x[r][k−1], a[k−1][o], … fma(x[r][0], a[0][o], +0)) — one FMA per j, j ascending;
 *   <li>{@code mulAddTransposed}: acc[j][o] ← fma(x[r][j], g[r][o], acc[j][o]) for r ascending;
 *   <li>{@code accumulate}: sum += g (one addition), dot ← fma(g, y, dot);
 *   <li>{@code tanh}: {@link Activation#tanh} ({@link Exp}: no library transcendental);
 *   <li>{@code tanhBackward}: s ← fma(pre_j, g_j, s) over the tangents j ascending, then
 *       g ← d1·g + ((a·−2)·d1)·s.
 * </ul>
 * Nothing reduces across lanes, and no lane-wise transcendental of the Vector API (whose intrinsics and
 * fallbacks may differ in the last bit) is used.
 */
public final class Gemm {

    private static final boolean VECTOR = vectorAvailable();

    private Gemm() {
    }

    /** Whether the SIMD kernels are in use. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** The kernels in use: {@code simd-<bits>} (the vector width) or {@code scalar}. */
    public static String kernels() {
        return VECTOR ? "simd-" + VectorGemm.bits() : "scalar";
    }

    /**
     * Σ x[from + k]² for k = 0..len−1, as plain multiplications and additions in ascending k (never vectorized:
     * the RNODE integrands, the same on every machine).
     */
    public static double sumOfSquares(double[] x, int from, int len) {
        double s = 0;
        for (int k = from; k < from + len; k++) {
            s += x[k] * x[k];
        }
        return s;
    }

    /** y (rows×n) = x (rows×k) · a (k×n). */
    public static void mul(double[] x, double[] a, double[] y, int rows, int k, int n) {
        if (VECTOR) {
            VectorGemm.mul(x, a, y, rows, k, n);
        } else {
            ScalarGemm.mul(x, a, y, rows, k, n);
        }
    }

    /** acc (k×n) += xᵀ (k×rows) · g (rows×n). */
    public static void mulAddTransposed(double[] x, double[] g, double[] acc, int rows, int k, int n) {
        if (VECTOR) {
            VectorGemm.mulAddTransposed(x, g, acc, rows, k, n);
        } else {
            ScalarGemm.mulAddTransposed(x, g, acc, rows, k, n);
        }
    }

    /** dst[base..base+n) = src[base..) ⊙ scale + shift (shift may be null). */
    public static void scaleShift(double[] src, double[] dst, int base, double[] scale, double[] shift, int n) {
        if (VECTOR) {
            VectorGemm.scaleShift(src, dst, base, scale, shift, n);
        } else {
            ScalarGemm.scaleShift(src, dst, base, scale, shift, 0, n);
        }
    }

    /** act[base..) = tanh(pre[base..)) and d1[dBase..) = 1 − act² over n elements. */
    public static void tanh(double[] pre, int base, double[] act, double[] d1, int dBase, int n) {
        if (VECTOR) {
            VectorGemm.tanh(pre, base, act, d1, dBase, n);
        } else {
            ScalarGemm.tanh(pre, base, act, d1, dBase, 0, n);
        }
    }

    /** dst[base..) = d1[dBase..) ⊙ src[base..) over n elements. */
    public static void mulRows(double[] d1, int dBase, double[] src, double[] dst, int base, int n) {
        if (VECTOR) {
            VectorGemm.mulRows(d1, dBase, src, dst, base, n);
        } else {
            ScalarGemm.mulRows(d1, dBase, src, dst, base, 0, n);
        }
    }

    /** sum[o] += g[base+o] (sum may be null) and dot[o] += g[base+o]·y[base+o] over n columns. */
    public static void accumulate(double[] g, double[] y, int base, double[] sum, double[] dot, int n) {
        if (VECTOR) {
            VectorGemm.accumulate(g, y, base, sum, dot, n);
        } else {
            ScalarGemm.accumulate(g, y, base, sum, dot, 0, n);
        }
    }

    /**
     * Reverse of tanh for one sample's primal row (at pb) and its m tangent rows (stride n): see
     * {@code OdeNet}'s activation backward; d1 = 1 − a² of the primal row starts at dBase.
     */
    public static void tanhBackward(double[] g, double[] pre, double[] act, double[] d1, int pb, int dBase, int m,
                                    int n) {
        if (VECTOR) {
            VectorGemm.tanhBackward(g, pre, act, d1, pb, dBase, m, n);
        } else {
            ScalarGemm.tanhBackward(g, pre, act, d1, pb, dBase, m, n, 0);
        }
    }

    private static boolean vectorAvailable() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !Boolean.getBoolean("odeflow.scalar");
        if (present) {
            try {
                VectorGemm.mul(new double[4], new double[4], new double[4], 2, 2, 2);
                return true;
            } catch (LinkageError e) {
                present = false;
            }
        }
        Logger.getLogger(Gemm.class.getName()).info("odeflow: SIMD kernels off (run the JVM with "
                + "--add-modules=jdk.incubator.vector to enable them); using scalar loops");
        return false;
    }
}
