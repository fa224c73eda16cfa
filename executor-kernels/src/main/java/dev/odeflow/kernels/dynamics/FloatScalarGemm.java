package dev.odeflow.kernels.dynamics;

import java.util.Arrays;

/**
 * {@link FloatGemm}'s plain loops, {@code ScalarGemm} in float: the reference sequence of operations for every
 * output element, which {@code FloatVectorGemm} reproduces lane by lane (see {@link Gemm}). Row-wise passes
 * take a starting column so that the SIMD kernels can finish their tails here.
 */
final class FloatScalarGemm {

    private FloatScalarGemm() {
    }

    static void mul(float[] x, float[] a, float[] y, int rows, int k, int n) {
        Arrays.fill(y, 0, rows * n, 0);
        for (int r = 0; r < rows; r++) {
            int xb = r * k;
            int yb = r * n;
            for (int j = 0; j < k; j++) {
                float v = x[xb + j];
                int ab = j * n;
                for (int o = 0; o < n; o++) {
                    y[yb + o] = Math.fma(v, a[ab + o], y[yb + o]);
                }
            }
        }
    }

    static void mulAddTransposed(float[] x, float[] g, float[] acc, int rows, int k, int n) {
        for (int r = 0; r < rows; r++) {
            int xb = r * k;
            int gb = r * n;
            for (int j = 0; j < k; j++) {
                float v = x[xb + j];
                int ab = j * n;
                for (int o = 0; o < n; o++) {
                    acc[ab + o] = Math.fma(v, g[gb + o], acc[ab + o]);
                }
            }
        }
    }

    static void scaleShift(float[] src, float[] dst, int base, float[] scale, float[] shift, int from, int n) {
        for (int o = from; o < n; o++) {
            float v = src[base + o] * scale[o];
            dst[base + o] = shift == null ? v : v + shift[o];
        }
    }

    static void tanh(float[] pre, int base, float[] act, float[] d1, float[] d2, int dBase, int from, int n) {
        for (int o = from; o < n; o++) {
            float a = FloatMath.tanh(pre[base + o]);
            act[base + o] = a;
            float dv = 1 - a * a;
            d1[dBase + o] = dv;
            d2[dBase + o] = a * -2 * dv;
        }
    }

    static void softplus(float[] pre, int base, float[] act, float[] d1, float[] d2, int dBase, int from, int n) {
        for (int o = from; o < n; o++) {
            float x = pre[base + o];
            float e = FloatMath.exp(-Math.abs(x));
            act[base + o] = FloatMath.softplus(x, e);
            float s = FloatMath.sigmoid(x, e);
            d1[dBase + o] = s;
            d2[dBase + o] = s * (1 - s);
        }
    }

    static void mulRows(float[] d1, int dBase, float[] src, float[] dst, int base, int from, int n) {
        for (int o = from; o < n; o++) {
            dst[base + o] = d1[dBase + o] * src[base + o];
        }
    }

    static void accumulate(float[] g, float[] y, int base, float[] sum, float[] dot, int from, int n) {
        for (int o = from; o < n; o++) {
            float gv = g[base + o];
            if (sum != null) {
                sum[o] += gv;
            }
            dot[o] = Math.fma(gv, y[base + o], dot[o]);
        }
    }

    static void activationBackward(float[] g, float[] pre, float[] d1, float[] d2, int pb, int dBase, int m, int n,
                                   int from) {
        for (int o = from; o < n; o++) {
            float dv = d1[dBase + o];
            float second = 0;
            for (int j = 1; j <= m; j++) {
                int tb = pb + j * n + o;
                second = Math.fma(pre[tb], g[tb], second);
                g[tb] *= dv;
            }
            g[pb + o] = dv * g[pb + o] + d2[dBase + o] * second;
        }
    }
}
