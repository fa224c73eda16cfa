package dev.odeflow.kernels.dynamics;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s SIMD kernels. Register blocks of 2 rows × 4 vectors accumulate over the inner dimension;
 * cache blocks of {@value #ROWS} rows keep the operands of one block in L1 while every column block uses
 * them. Loaded only when the vector module is present.
 *
 * <p>Each lane performs exactly the operations {@link ScalarGemm} performs for that element, in the same
 * order (FMA chains, no cross-lane reductions, {@link Exp} instead of the Vector API's EXP); the products' last
 * n mod L columns run as vectors across rows (still one chain per element), the element-wise passes' tails in
 * {@link ScalarGemm}: so the results are the same bits for every species width and every JIT state.
 */
final class VectorGemm {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per block of the product: the block's rows of x stay in cache while the panels of a pass by. */
    private static final int ROWS = 16;
    /** Inner-dimension block of the product: a k-block × 4L panel of a (32 KB at 512 bits) stays in L1. */
    private static final int K_BLOCK = 128;
    /** Each thread's scratch for the column tails of the products, grown as needed (no allocation per call). */
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    private VectorGemm() {
    }

    /** This thread's scratch array of at least {@code size} elements (contents undefined). */
    private static double[] scratch(int size) {
        double[] a = SCRATCH.get();
        if (a.length < size) {
            a = new double[size];
            SCRATCH.set(a);
        }
        return a;
    }

    /** Bits per vector of the species in use. */
    static int bits() {
        return S.vectorBitSize();
    }

    /**
     * y (rows×n) = x (rows×k) · a (k×n). Blocked over rows and over k; each output element is one FMA chain over
     * j ascending from +0, its partial sum stored in y between k-blocks (a store and reload is exact), so the
     * blocking does not change a bit.
     */
    static void mul(double[] x, double[] a, double[] y, int rows, int k, int n) {
        if (k == 0) {
            java.util.Arrays.fill(y, 0, rows * n, 0);
            return;
        }
        int vec = n - n % L;
        for (int rb = 0; rb < rows; rb += ROWS) {
            int re = Math.min(rows, rb + ROWS);
            for (int kb = 0; kb < k; kb += K_BLOCK) {
                int ke = Math.min(k, kb + K_BLOCK);
                int o = 0;
                for (; o + 4 * L <= vec; o += 4 * L) {
                    int r = rb;
                    for (; r + 1 < re; r += 2) {
                        mul2x4(x, a, y, r, k, n, o, kb, ke);
                    }
                    if (r < re) {
                        mulTail(x, a, y, r, r + 1, k, n, o, o + 4 * L, kb, ke);
                    }
                }
                if (o < vec) {
                    mulTail(x, a, y, rb, re, k, n, o, vec, kb, ke);
                }
            }
        }
        if (vec < n) {
            mulColumns(x, a, y, rows, k, n, vec);
        }
    }

    /**
     * Columns [from, n) of y (fewer than L) for all rows: L rows at a time as one vector per column, from a
     * transposed copy of those rows of x (k×L, so that x's column segment is contiguous); each element one FMA chain
     * over j ascending from +0, as {@link ScalarGemm#mul}'s. Rows left over (rows mod L) run as scalar chains.
     */
    private static void mulColumns(double[] x, double[] a, double[] y, int rows, int k, int n, int from) {
        double[] xt = scratch(k * L + L); // the transposed rows, then one vector's lanes at [k·L, k·L + L)
        int cb = k * L;
        int r = 0;
        for (; r + L <= rows; r += L) {
            for (int i = 0; i < L; i++) {
                int xb = (r + i) * k;
                for (int j = 0; j < k; j++) {
                    xt[j * L + i] = x[xb + j];
                }
            }
            int o = from;
            for (; o + 1 < n; o += 2) {
                DoubleVector s0 = DoubleVector.zero(S);
                DoubleVector s1 = s0;
                for (int j = 0; j < k; j++) {
                    DoubleVector xv = DoubleVector.fromArray(S, xt, j * L);
                    s0 = xv.fma(DoubleVector.broadcast(S, a[j * n + o]), s0);
                    s1 = xv.fma(DoubleVector.broadcast(S, a[j * n + o + 1]), s1);
                }
                s0.intoArray(xt, cb);
                for (int i = 0; i < L; i++) {
                    y[(r + i) * n + o] = xt[cb + i];
                }
                s1.intoArray(xt, cb);
                for (int i = 0; i < L; i++) {
                    y[(r + i) * n + o + 1] = xt[cb + i];
                }
            }
            if (o < n) {
                DoubleVector s0 = DoubleVector.zero(S);
                for (int j = 0; j < k; j++) {
                    s0 = DoubleVector.fromArray(S, xt, j * L).fma(DoubleVector.broadcast(S, a[j * n + o]), s0);
                }
                s0.intoArray(xt, cb);
                for (int i = 0; i < L; i++) {
                    y[(r + i) * n + o] = xt[cb + i];
                }
            }
        }
        for (; r < rows; r++) {
            for (int o = from; o < n; o++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s = Math.fma(x[r * k + j], a[j * n + o], s);
                }
                y[r * n + o] = s;
            }
        }
    }

    /** Rows r, r+1 × columns [o, o + 4L), j in [kb, ke): 8 independent chains. */
    private static void mul2x4(double[] x, double[] a, double[] y, int r, int k, int n, int o, int kb, int ke) {
        int x0 = r * k;
        int x1 = x0 + k;
        int y0 = r * n + o;
        int y1 = y0 + n;
        DoubleVector c00;
        DoubleVector c01;
        DoubleVector c02;
        DoubleVector c03;
        DoubleVector c10;
        DoubleVector c11;
        DoubleVector c12;
        DoubleVector c13;
        if (kb == 0) {
            c00 = DoubleVector.zero(S);
            c01 = c00;
            c02 = c00;
            c03 = c00;
            c10 = c00;
            c11 = c00;
            c12 = c00;
            c13 = c00;
        } else {
            c00 = DoubleVector.fromArray(S, y, y0);
            c01 = DoubleVector.fromArray(S, y, y0 + L);
            c02 = DoubleVector.fromArray(S, y, y0 + 2 * L);
            c03 = DoubleVector.fromArray(S, y, y0 + 3 * L);
            c10 = DoubleVector.fromArray(S, y, y1);
            c11 = DoubleVector.fromArray(S, y, y1 + L);
            c12 = DoubleVector.fromArray(S, y, y1 + 2 * L);
            c13 = DoubleVector.fromArray(S, y, y1 + 3 * L);
        }
        for (int j = kb; j < ke; j++) {
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
        c00.intoArray(y, y0);
        c01.intoArray(y, y0 + L);
        c02.intoArray(y, y0 + 2 * L);
        c03.intoArray(y, y0 + 3 * L);
        c10.intoArray(y, y1);
        c11.intoArray(y, y1 + L);
        c12.intoArray(y, y1 + 2 * L);
        c13.intoArray(y, y1 + 3 * L);
    }

    /**
     * Rows [rb, re) × columns [from, to), j in [kb, ke) (to − from a multiple of L): two rows at a time
     * so that two chains are in flight.
     */
    private static void mulTail(double[] x, double[] a, double[] y, int rb, int re, int k, int n, int from, int to,
                                int kb, int ke) {
        boolean first = kb == 0;
        int r = rb;
        for (; r + 1 < re; r += 2) {
            int x0 = r * k;
            int x1 = x0 + k;
            int y0 = r * n;
            int y1 = y0 + n;
            for (int o = from; o < to; o += L) {
                DoubleVector c0 = first ? DoubleVector.zero(S) : DoubleVector.fromArray(S, y, y0 + o);
                DoubleVector c1 = first ? DoubleVector.zero(S) : DoubleVector.fromArray(S, y, y1 + o);
                for (int j = kb; j < ke; j++) {
                    DoubleVector w = DoubleVector.fromArray(S, a, j * n + o);
                    c0 = w.fma(DoubleVector.broadcast(S, x[x0 + j]), c0);
                    c1 = w.fma(DoubleVector.broadcast(S, x[x1 + j]), c1);
                }
                c0.intoArray(y, y0 + o);
                c1.intoArray(y, y1 + o);
            }
        }
        if (r < re) {
            mul1(x, a, y, r, k, n, from, to, kb, ke);
        }
    }

    /** One row, columns [from, to), j in [kb, ke) (to − from a multiple of L). */
    private static void mul1(double[] x, double[] a, double[] y, int r, int k, int n, int from, int to, int kb,
                             int ke) {
        boolean first = kb == 0;
        int xb = r * k;
        int yb = r * n;
        for (int o = from; o < to; o += L) {
            DoubleVector c = first ? DoubleVector.zero(S) : DoubleVector.fromArray(S, y, yb + o);
            for (int j = kb; j < ke; j++) {
                c = DoubleVector.fromArray(S, a, j * n + o).fma(DoubleVector.broadcast(S, x[xb + j]), c);
            }
            c.intoArray(y, yb + o);
        }
    }

    /**
     * acc (k×n) += xᵀ (k×rows) · g (rows×n). Each element is one FMA chain over the rows ascending (its partial
     * sum stored in acc between row blocks, which is exact): the columns that fill vectors row by row of acc, the
     * last n mod L columns by {@link #addTColumns}.
     */
    static void mulAddTransposed(double[] x, double[] g, double[] acc, int rows, int k, int n) {
        int vec = n - n % L;
        for (int rb = 0; rb < rows; rb += ROWS) {
            int re = Math.min(rows, rb + ROWS);
            int j = 0;
            for (; j + 1 < k; j += 2) {
                int o = 0;
                for (; o + 4 * L <= vec; o += 4 * L) {
                    addT2x4(x, g, acc, rb, re, k, n, j, o);
                }
                addT1(x, g, acc, rb, re, k, n, j, o, vec);
                addT1(x, g, acc, rb, re, k, n, j + 1, o, vec);
            }
            if (j < k) {
                addT1(x, g, acc, rb, re, k, n, j, 0, vec);
            }
        }
        if (vec < n) {
            addTColumns(x, g, acc, rows, k, n, vec);
        }
    }

    /**
     * Columns [from, n) of acc (fewer than L) over all rows: L rows of acc at a time, one vector per column, since
     * x's segment x[r·k + j, r·k + j + L) is contiguous where a column of acc is not; up to two columns per pass
     * share the loads of x. The scalar tails of the rows would otherwise run as single latency-bound chains (the
     * 43-wide output layer of a 43-column flow leaves 3 of every 43 columns to them).
     */
    private static void addTColumns(double[] x, double[] g, double[] acc, int rows, int k, int n, int from) {
        double[] lanes = scratch(2 * L); // column o's L elements of acc at [0, L), column o + 1's at [L, 2L)
        int j = 0;
        for (; j + L <= k; j += L) {
            int o = from;
            for (; o + 1 < n; o += 2) {
                for (int i = 0; i < L; i++) {
                    lanes[i] = acc[(j + i) * n + o];
                    lanes[L + i] = acc[(j + i) * n + o + 1];
                }
                DoubleVector s0 = DoubleVector.fromArray(S, lanes, 0);
                DoubleVector s1 = DoubleVector.fromArray(S, lanes, L);
                for (int r = 0; r < rows; r++) {
                    DoubleVector xv = DoubleVector.fromArray(S, x, r * k + j);
                    s0 = xv.fma(DoubleVector.broadcast(S, g[r * n + o]), s0);
                    s1 = xv.fma(DoubleVector.broadcast(S, g[r * n + o + 1]), s1);
                }
                s0.intoArray(lanes, 0);
                s1.intoArray(lanes, L);
                for (int i = 0; i < L; i++) {
                    acc[(j + i) * n + o] = lanes[i];
                    acc[(j + i) * n + o + 1] = lanes[L + i];
                }
            }
            if (o < n) {
                for (int i = 0; i < L; i++) {
                    lanes[i] = acc[(j + i) * n + o];
                }
                DoubleVector s0 = DoubleVector.fromArray(S, lanes, 0);
                for (int r = 0; r < rows; r++) {
                    s0 = DoubleVector.fromArray(S, x, r * k + j).fma(DoubleVector.broadcast(S, g[r * n + o]), s0);
                }
                s0.intoArray(lanes, 0);
                for (int i = 0; i < L; i++) {
                    acc[(j + i) * n + o] = lanes[i];
                }
            }
        }
        for (; j < k; j++) {
            for (int o = from; o < n; o++) {
                double s = acc[j * n + o];
                for (int r = 0; r < rows; r++) {
                    s = Math.fma(x[r * k + j], g[r * n + o], s);
                }
                acc[j * n + o] = s;
            }
        }
    }

    private static void addT2x4(double[] x, double[] g, double[] acc, int rb, int re, int k, int n, int j, int o) {
        int a0 = j * n + o;
        int a1 = a0 + n;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, a0);
        DoubleVector c01 = DoubleVector.fromArray(S, acc, a0 + L);
        DoubleVector c02 = DoubleVector.fromArray(S, acc, a0 + 2 * L);
        DoubleVector c03 = DoubleVector.fromArray(S, acc, a0 + 3 * L);
        DoubleVector c10 = DoubleVector.fromArray(S, acc, a1);
        DoubleVector c11 = DoubleVector.fromArray(S, acc, a1 + L);
        DoubleVector c12 = DoubleVector.fromArray(S, acc, a1 + 2 * L);
        DoubleVector c13 = DoubleVector.fromArray(S, acc, a1 + 3 * L);
        for (int r = rb; r < re; r++) {
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
        c00.intoArray(acc, a0);
        c01.intoArray(acc, a0 + L);
        c02.intoArray(acc, a0 + 2 * L);
        c03.intoArray(acc, a0 + 3 * L);
        c10.intoArray(acc, a1);
        c11.intoArray(acc, a1 + L);
        c12.intoArray(acc, a1 + 2 * L);
        c13.intoArray(acc, a1 + 3 * L);
    }

    /** Row j of acc, columns [from, to), over rows [rb, re) (to − from a multiple of L). */
    private static void addT1(double[] x, double[] g, double[] acc, int rb, int re, int k, int n, int j, int from,
                              int to) {
        int ab = j * n;
        for (int o = from; o < to; o += L) {
            DoubleVector c = DoubleVector.fromArray(S, acc, ab + o);
            for (int r = rb; r < re; r++) {
                c = DoubleVector.fromArray(S, g, r * n + o).fma(DoubleVector.broadcast(S, x[r * k + j]), c);
            }
            c.intoArray(acc, ab + o);
        }
    }

    /** dst[base..base+n) = src[base..) ⊙ scale + shift (shift may be null). */
    static void scaleShift(double[] src, double[] dst, int base, double[] scale, double[] shift, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            DoubleVector v = DoubleVector.fromArray(S, src, base + o).mul(DoubleVector.fromArray(S, scale, o));
            if (shift != null) {
                v = v.add(DoubleVector.fromArray(S, shift, o));
            }
            v.intoArray(dst, base + o);
        }
        ScalarGemm.scaleShift(src, dst, base, scale, shift, o, n);
    }

    /** act = tanh(pre) and d1 = 1 − act² over n elements: {@link Activation#tanh} lane-wise, same bits. */
    static void tanh(double[] pre, int base, double[] act, double[] d1, int dBase, int n) {
        int o = 0;
        DoubleVector one = DoubleVector.broadcast(S, 1);
        DoubleVector two = DoubleVector.broadcast(S, 2);
        for (; o + L <= n; o += L) {
            DoubleVector x = DoubleVector.fromArray(S, pre, base + o);
            DoubleVector a = one.sub(two.div(exp(x.mul(two)).add(one)));
            VectorMask<Double> small = x.abs().lt(Activation.TANH_SMALL);
            if (small.anyTrue()) {
                DoubleVector x2 = x.mul(x);
                DoubleVector p = DoubleVector.broadcast(S, Activation.TANH_SERIES[0]);
                for (int i = 1; i < Activation.TANH_SERIES.length; i++) {
                    p = p.fma(x2, DoubleVector.broadcast(S, Activation.TANH_SERIES[i]));
                }
                a = a.blend(p.mul(x), small);
            }
            a.intoArray(act, base + o);
            one.sub(a.mul(a)).intoArray(d1, dBase + o);
        }
        ScalarGemm.tanh(pre, base, act, d1, dBase, o, n);
    }

    /** {@link Exp#exp} lane-wise: the same operations, so the same bits. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector u = x.max(Exp.MIN_ARG).min(Exp.MAX_ARG);
        DoubleVector t = u.fma(DoubleVector.broadcast(S, Exp.INV_LN2), DoubleVector.broadcast(S, Exp.SHIFTER));
        DoubleVector k = t.sub(Exp.SHIFTER);
        DoubleVector minusK = k.neg();
        DoubleVector r = minusK.fma(DoubleVector.broadcast(S, Exp.LN2_HI), u);
        r = minusK.fma(DoubleVector.broadcast(S, Exp.LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(S, Exp.COEFFS[0]);
        for (int i = 1; i < Exp.COEFFS.length; i++) {
            p = p.fma(r, DoubleVector.broadcast(S, Exp.COEFFS[i]));
        }
        LongVector bits = (LongVector) t.reinterpretAsLongs();
        DoubleVector scale = bits.sub(Exp.SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        return p.mul(scale);
    }

    /** dst[base..) = d1[dBase..) ⊙ src[base..) over n elements. */
    static void mulRows(double[] d1, int dBase, double[] src, double[] dst, int base, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            DoubleVector.fromArray(S, d1, dBase + o).mul(DoubleVector.fromArray(S, src, base + o)).intoArray(dst, base + o);
        }
        ScalarGemm.mulRows(d1, dBase, src, dst, base, o, n);
    }

    /** sum[o] += g[base+o] (sum may be null) and dot[o] += g[base+o]·y[base+o] over n columns. */
    static void accumulate(double[] g, double[] y, int base, double[] sum, double[] dot, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            DoubleVector gv = DoubleVector.fromArray(S, g, base + o);
            if (sum != null) {
                DoubleVector.fromArray(S, sum, o).add(gv).intoArray(sum, o);
            }
            gv.fma(DoubleVector.fromArray(S, y, base + o), DoubleVector.fromArray(S, dot, o)).intoArray(dot, o);
        }
        ScalarGemm.accumulate(g, y, base, sum, dot, o, n);
    }

    /**
     * Reverse of tanh for one sample: the primal row at pb and m tangent rows after it (stride n). Tangent
     * gradients are scaled by σ' = d1; the primal gradient becomes σ'·g + σ''·Σ_j pre_j·g_j with σ'' = −2aσ'.
     */
    static void tanhBackward(double[] g, double[] pre, double[] act, double[] d1, int pb, int dBase, int m, int n) {
        int o = 0;
        DoubleVector minusTwo = DoubleVector.broadcast(S, -2);
        for (; o + L <= n; o += L) {
            DoubleVector dv = DoubleVector.fromArray(S, d1, dBase + o);
            DoubleVector second = DoubleVector.zero(S);
            for (int j = 1; j <= m; j++) {
                int tb = pb + j * n + o;
                DoubleVector gt = DoubleVector.fromArray(S, g, tb);
                second = DoubleVector.fromArray(S, pre, tb).fma(gt, second);
                gt.mul(dv).intoArray(g, tb);
            }
            DoubleVector d2 = DoubleVector.fromArray(S, act, pb + o).mul(minusTwo).mul(dv);
            dv.mul(DoubleVector.fromArray(S, g, pb + o)).add(d2.mul(second)).intoArray(g, pb + o);
        }
        ScalarGemm.tanhBackward(g, pre, act, d1, pb, dBase, m, n, o);
    }
}
