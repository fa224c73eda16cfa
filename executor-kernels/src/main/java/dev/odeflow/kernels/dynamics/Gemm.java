package dev.odeflow.kernels.dynamics;

import java.util.logging.Logger;

/**
 * The dense kernels the networks need, row-major throughout: the products {@link #mul} y = x·a and
 * {@link #mulAddTransposed} acc += xᵀ·g, and the row-wise passes ({@link #scaleShift}, {@link #tanh},
 * {@link #mulRows}, {@link #accumulate}, {@link #tanhBackward}). With the {@code jdk.incubator.vector} module
 * present (the launchers, Surefire and spark-defaults add it) they use explicit SIMD register blocking (the
 * products alone about 10× the scalar loops on AVX2); without it they fall back to plain loops and say so once.
 */
public final class Gemm {

    private static final boolean VECTOR = vectorAvailable();

    private Gemm() {
    }

    /** Whether the SIMD kernels are in use. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** y (rows×n) = x (rows×k) · a (k×n). */
    public static void mul(double[] x, double[] a, double[] y, int rows, int k, int n) {
        if (VECTOR) {
            VectorGemm.mul(x, a, y, rows, k, n);
        } else {
            scalarMul(x, a, y, rows, k, n);
        }
    }

    /** acc (k×n) += xᵀ (k×rows) · g (rows×n). */
    public static void mulAddTransposed(double[] x, double[] g, double[] acc, int rows, int k, int n) {
        if (VECTOR) {
            VectorGemm.mulAddTransposed(x, g, acc, rows, k, n);
        } else {
            scalarMulAddTransposed(x, g, acc, rows, k, n);
        }
    }

    /** dst[base..base+n) = src[base..) ⊙ scale + shift (shift may be null). */
    public static void scaleShift(double[] src, double[] dst, int base, double[] scale, double[] shift, int n) {
        if (VECTOR) {
            VectorGemm.scaleShift(src, dst, base, scale, shift, n);
            return;
        }
        for (int o = 0; o < n; o++) {
            dst[base + o] = src[base + o] * scale[o] + (shift == null ? 0 : shift[o]);
        }
    }

    /** act[base..) = tanh(pre[base..)) and d1[dBase..) = 1 − act² over n elements. */
    public static void tanh(double[] pre, int base, double[] act, double[] d1, int dBase, int n) {
        if (VECTOR) {
            VectorGemm.tanh(pre, base, act, d1, dBase, n);
            return;
        }
        for (int o = 0; o < n; o++) {
            double a = Activation.tanh(pre[base + o]);
            act[base + o] = a;
            d1[dBase + o] = 1 - a * a;
        }
    }

    /** dst[base..) = d1[dBase..) ⊙ src[base..) over n elements. */
    public static void mulRows(double[] d1, int dBase, double[] src, double[] dst, int base, int n) {
        if (VECTOR) {
            VectorGemm.mulRows(d1, dBase, src, dst, base, n);
            return;
        }
        for (int o = 0; o < n; o++) {
            dst[base + o] = d1[dBase + o] * src[base + o];
        }
    }

    /** sum[o] += g[base+o] (sum may be null) and dot[o] += g[base+o]·y[base+o] over n columns. */
    public static void accumulate(double[] g, double[] y, int base, double[] sum, double[] dot, int n) {
        if (VECTOR) {
            VectorGemm.accumulate(g, y, base, sum, dot, n);
            return;
        }
        for (int o = 0; o < n; o++) {
            double gv = g[base + o];
            if (sum != null) {
                sum[o] += gv;
            }
            dot[o] += gv * y[base + o];
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
            scalarTanhBackward(g, pre, act, d1, pb, dBase, m, n, 0);
        }
    }

    static void scalarTanhBackward(double[] g, double[] pre, double[] act, double[] d1, int pb, int dBase, int m,
                                   int n, int from) {
        for (int o = from; o < n; o++) {
            double dv = d1[dBase + o];
            double second = 0;
            for (int j = 1; j <= m; j++) {
                int tb = pb + j * n + o;
                second += pre[tb] * g[tb];
                g[tb] *= dv;
            }
            g[pb + o] = dv * g[pb + o] - 2 * act[pb + o] * dv * second;
        }
    }

    static void scalarMul(double[] x, double[] a, double[] y, int rows, int k, int n) {
        java.util.Arrays.fill(y, 0, rows * n, 0);
        for (int r = 0; r < rows; r++) {
            int xb = r * k;
            int yb = r * n;
            for (int j = 0; j < k; j++) {
                double v = x[xb + j];
                if (v != 0) {
                    int ab = j * n;
                    for (int o = 0; o < n; o++) {
                        y[yb + o] += v * a[ab + o];
                    }
                }
            }
        }
    }

    static void scalarMulAddTransposed(double[] x, double[] g, double[] acc, int rows, int k, int n) {
        for (int r = 0; r < rows; r++) {
            int xb = r * k;
            int gb = r * n;
            for (int j = 0; j < k; j++) {
                double v = x[xb + j];
                if (v != 0) {
                    int ab = j * n;
                    for (int o = 0; o < n; o++) {
                        acc[ab + o] += v * g[gb + o];
                    }
                }
            }
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
