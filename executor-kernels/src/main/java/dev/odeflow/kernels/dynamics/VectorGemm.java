package dev.odeflow.kernels.dynamics;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s SIMD kernels: 2 rows × 4 vectors of accumulators held in registers across the inner
 * dimension, with 1-vector and scalar tails. Loaded only when the vector module is present.
 */
final class VectorGemm {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorGemm() {
    }

    static void mul(double[] x, double[] a, double[] y, int rows, int k, int n) {
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int x0 = r * k;
            int x1 = x0 + k;
            int y0 = r * n;
            int y1 = y0 + n;
            int o = 0;
            for (; o + 4 * L <= n; o += 4 * L) {
                DoubleVector c00 = DoubleVector.zero(S);
                DoubleVector c01 = c00;
                DoubleVector c02 = c00;
                DoubleVector c03 = c00;
                DoubleVector c10 = c00;
                DoubleVector c11 = c00;
                DoubleVector c12 = c00;
                DoubleVector c13 = c00;
                for (int j = 0; j < k; j++) {
                    int ab = j * n + o;
                    DoubleVector w0 = DoubleVector.fromArray(S, a, ab);
                    DoubleVector w1 = DoubleVector.fromArray(S, a, ab + L);
                    DoubleVector w2 = DoubleVector.fromArray(S, a, ab + 2 * L);
                    DoubleVector w3 = DoubleVector.fromArray(S, a, ab + 3 * L);
                    DoubleVector v0 = DoubleVector.broadcast(S, x[x0 + j]);
                    DoubleVector v1 = DoubleVector.broadcast(S, x[x1 + j]);
                    c00 = w0.fma(v0, c00);
                    c01 = w1.fma(v0, c01);
                    c02 = w2.fma(v0, c02);
                    c03 = w3.fma(v0, c03);
                    c10 = w0.fma(v1, c10);
                    c11 = w1.fma(v1, c11);
                    c12 = w2.fma(v1, c12);
                    c13 = w3.fma(v1, c13);
                }
                c00.intoArray(y, y0 + o);
                c01.intoArray(y, y0 + o + L);
                c02.intoArray(y, y0 + o + 2 * L);
                c03.intoArray(y, y0 + o + 3 * L);
                c10.intoArray(y, y1 + o);
                c11.intoArray(y, y1 + o + L);
                c12.intoArray(y, y1 + o + 2 * L);
                c13.intoArray(y, y1 + o + 3 * L);
            }
            for (; o + L <= n; o += L) {
                DoubleVector c0 = DoubleVector.zero(S);
                DoubleVector c1 = c0;
                for (int j = 0; j < k; j++) {
                    DoubleVector w = DoubleVector.fromArray(S, a, j * n + o);
                    c0 = w.fma(DoubleVector.broadcast(S, x[x0 + j]), c0);
                    c1 = w.fma(DoubleVector.broadcast(S, x[x1 + j]), c1);
                }
                c0.intoArray(y, y0 + o);
                c1.intoArray(y, y1 + o);
            }
            for (; o < n; o++) {
                double s0 = 0;
                double s1 = 0;
                for (int j = 0; j < k; j++) {
                    double w = a[j * n + o];
                    s0 += x[x0 + j] * w;
                    s1 += x[x1 + j] * w;
                }
                y[y0 + o] = s0;
                y[y1 + o] = s1;
            }
        }
        for (; r < rows; r++) {
            int xb = r * k;
            int yb = r * n;
            int o = 0;
            for (; o + L <= n; o += L) {
                DoubleVector c = DoubleVector.zero(S);
                for (int j = 0; j < k; j++) {
                    c = DoubleVector.fromArray(S, a, j * n + o).fma(DoubleVector.broadcast(S, x[xb + j]), c);
                }
                c.intoArray(y, yb + o);
            }
            for (; o < n; o++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += x[xb + j] * a[j * n + o];
                }
                y[yb + o] = s;
            }
        }
    }

    static void mulAddTransposed(double[] x, double[] g, double[] acc, int rows, int k, int n) {
        int j = 0;
        for (; j + 1 < k; j += 2) {
            int a0 = j * n;
            int a1 = a0 + n;
            int o = 0;
            for (; o + 4 * L <= n; o += 4 * L) {
                DoubleVector c00 = DoubleVector.fromArray(S, acc, a0 + o);
                DoubleVector c01 = DoubleVector.fromArray(S, acc, a0 + o + L);
                DoubleVector c02 = DoubleVector.fromArray(S, acc, a0 + o + 2 * L);
                DoubleVector c03 = DoubleVector.fromArray(S, acc, a0 + o + 3 * L);
                DoubleVector c10 = DoubleVector.fromArray(S, acc, a1 + o);
                DoubleVector c11 = DoubleVector.fromArray(S, acc, a1 + o + L);
                DoubleVector c12 = DoubleVector.fromArray(S, acc, a1 + o + 2 * L);
                DoubleVector c13 = DoubleVector.fromArray(S, acc, a1 + o + 3 * L);
                for (int r = 0; r < rows; r++) {
                    int gb = r * n + o;
                    DoubleVector g0 = DoubleVector.fromArray(S, g, gb);
                    DoubleVector g1 = DoubleVector.fromArray(S, g, gb + L);
                    DoubleVector g2 = DoubleVector.fromArray(S, g, gb + 2 * L);
                    DoubleVector g3 = DoubleVector.fromArray(S, g, gb + 3 * L);
                    DoubleVector v0 = DoubleVector.broadcast(S, x[r * k + j]);
                    DoubleVector v1 = DoubleVector.broadcast(S, x[r * k + j + 1]);
                    c00 = g0.fma(v0, c00);
                    c01 = g1.fma(v0, c01);
                    c02 = g2.fma(v0, c02);
                    c03 = g3.fma(v0, c03);
                    c10 = g0.fma(v1, c10);
                    c11 = g1.fma(v1, c11);
                    c12 = g2.fma(v1, c12);
                    c13 = g3.fma(v1, c13);
                }
                c00.intoArray(acc, a0 + o);
                c01.intoArray(acc, a0 + o + L);
                c02.intoArray(acc, a0 + o + 2 * L);
                c03.intoArray(acc, a0 + o + 3 * L);
                c10.intoArray(acc, a1 + o);
                c11.intoArray(acc, a1 + o + L);
                c12.intoArray(acc, a1 + o + 2 * L);
                c13.intoArray(acc, a1 + o + 3 * L);
            }
            for (; o + L <= n; o += L) {
                DoubleVector c0 = DoubleVector.fromArray(S, acc, a0 + o);
                DoubleVector c1 = DoubleVector.fromArray(S, acc, a1 + o);
                for (int r = 0; r < rows; r++) {
                    DoubleVector gv = DoubleVector.fromArray(S, g, r * n + o);
                    c0 = gv.fma(DoubleVector.broadcast(S, x[r * k + j]), c0);
                    c1 = gv.fma(DoubleVector.broadcast(S, x[r * k + j + 1]), c1);
                }
                c0.intoArray(acc, a0 + o);
                c1.intoArray(acc, a1 + o);
            }
            for (; o < n; o++) {
                double s0 = 0;
                double s1 = 0;
                for (int r = 0; r < rows; r++) {
                    double gv = g[r * n + o];
                    s0 += x[r * k + j] * gv;
                    s1 += x[r * k + j + 1] * gv;
                }
                acc[a0 + o] += s0;
                acc[a1 + o] += s1;
            }
        }
        for (; j < k; j++) {
            int ab = j * n;
            int o = 0;
            for (; o + L <= n; o += L) {
                DoubleVector c = DoubleVector.fromArray(S, acc, ab + o);
                for (int r = 0; r < rows; r++) {
                    c = DoubleVector.fromArray(S, g, r * n + o).fma(DoubleVector.broadcast(S, x[r * k + j]), c);
                }
                c.intoArray(acc, ab + o);
            }
            for (; o < n; o++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += x[r * k + j] * g[r * n + o];
                }
                acc[ab + o] += s;
            }
        }
    }
}
