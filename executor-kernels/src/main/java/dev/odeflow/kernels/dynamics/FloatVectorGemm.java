package dev.odeflow.kernels.dynamics;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatGemm}'s SIMD kernels: {@code VectorGemm} in float (twice the lanes per vector), the same
 * blocking. Loaded only when the vector module is present.
 *
 * <p>Each lane performs exactly the operations {@link FloatScalarGemm} performs for that element, in the same
 * order (FMA chains, no cross-lane reductions, {@link FloatMath} instead of the Vector API's EXP); the products'
 * last n mod L columns run as vectors across rows (still one chain per element), the element-wise passes' tails
 * in {@link FloatScalarGemm}: so the results are the same bits for every species width and JIT state.
 */
final class FloatVectorGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per block of the product: the block's rows of x stay in cache while the panels of a pass by. */
    private static final int ROWS = 16;
    /** Inner-dimension block of the product: a k-block × 4L panel of a (32 KB at 512 bits, 16 floats a vector) stays in L1. */
    private static final int K_BLOCK = 128;
    /** Each thread's scratch for the column tails of the products, grown as needed (no allocation per call). */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private FloatVectorGemm() {
    }

    /** This thread's scratch array of at least {@code size} elements (contents undefined). */
    private static float[] scratch(int size) {
        float[] a = SCRATCH.get();
        if (a.length < size) {
            a = new float[size];
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
    static void mul(float[] x, float[] a, float[] y, int rows, int k, int n) {
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
     * over j ascending from +0, as {@link FloatScalarGemm#mul}'s. Rows left over (rows mod L) run as scalar chains.
     */
    private static void mulColumns(float[] x, float[] a, float[] y, int rows, int k, int n, int from) {
        float[] xt = scratch(k * L + L); // the transposed rows, then one vector's lanes at [k·L, k·L + L)
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
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = s0;
                for (int j = 0; j < k; j++) {
                    FloatVector xv = FloatVector.fromArray(S, xt, j * L);
                    s0 = xv.fma(FloatVector.broadcast(S, a[j * n + o]), s0);
                    s1 = xv.fma(FloatVector.broadcast(S, a[j * n + o + 1]), s1);
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
                FloatVector s0 = FloatVector.zero(S);
                for (int j = 0; j < k; j++) {
                    s0 = FloatVector.fromArray(S, xt, j * L).fma(FloatVector.broadcast(S, a[j * n + o]), s0);
                }
                s0.intoArray(xt, cb);
                for (int i = 0; i < L; i++) {
                    y[(r + i) * n + o] = xt[cb + i];
                }
            }
        }
        for (; r < rows; r++) {
            for (int o = from; o < n; o++) {
                float s = 0;
                for (int j = 0; j < k; j++) {
                    s = Math.fma(x[r * k + j], a[j * n + o], s);
                }
                y[r * n + o] = s;
            }
        }
    }

    /** Rows r, r+1 × columns [o, o + 4L), j in [kb, ke): 8 independent chains. */
    private static void mul2x4(float[] x, float[] a, float[] y, int r, int k, int n, int o, int kb, int ke) {
        int x0 = r * k;
        int x1 = x0 + k;
        int y0 = r * n + o;
        int y1 = y0 + n;
        FloatVector c00;
        FloatVector c01;
        FloatVector c02;
        FloatVector c03;
        FloatVector c10;
        FloatVector c11;
        FloatVector c12;
        FloatVector c13;
        if (kb == 0) {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c02 = c00;
            c03 = c00;
            c10 = c00;
            c11 = c00;
            c12 = c00;
            c13 = c00;
        } else {
            c00 = FloatVector.fromArray(S, y, y0);
            c01 = FloatVector.fromArray(S, y, y0 + L);
            c02 = FloatVector.fromArray(S, y, y0 + 2 * L);
            c03 = FloatVector.fromArray(S, y, y0 + 3 * L);
            c10 = FloatVector.fromArray(S, y, y1);
            c11 = FloatVector.fromArray(S, y, y1 + L);
            c12 = FloatVector.fromArray(S, y, y1 + 2 * L);
            c13 = FloatVector.fromArray(S, y, y1 + 3 * L);
        }
        for (int j = kb; j < ke; j++) {
            int ab = j * n + o;
            FloatVector w0 = FloatVector.fromArray(S, a, ab);
            FloatVector w1 = FloatVector.fromArray(S, a, ab + L);
            FloatVector w2 = FloatVector.fromArray(S, a, ab + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, a, ab + 3 * L);
            FloatVector v0 = FloatVector.broadcast(S, x[x0 + j]);
            FloatVector v1 = FloatVector.broadcast(S, x[x1 + j]);
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
    private static void mulTail(float[] x, float[] a, float[] y, int rb, int re, int k, int n, int from, int to,
                                int kb, int ke) {
        boolean first = kb == 0;
        int r = rb;
        for (; r + 1 < re; r += 2) {
            int x0 = r * k;
            int x1 = x0 + k;
            int y0 = r * n;
            int y1 = y0 + n;
            for (int o = from; o < to; o += L) {
                FloatVector c0 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, y, y0 + o);
                FloatVector c1 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, y, y1 + o);
                for (int j = kb; j < ke; j++) {
                    FloatVector w = FloatVector.fromArray(S, a, j * n + o);
                    c0 = w.fma(FloatVector.broadcast(S, x[x0 + j]), c0);
                    c1 = w.fma(FloatVector.broadcast(S, x[x1 + j]), c1);
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
    private static void mul1(float[] x, float[] a, float[] y, int r, int k, int n, int from, int to, int kb,
                             int ke) {
        boolean first = kb == 0;
        int xb = r * k;
        int yb = r * n;
        for (int o = from; o < to; o += L) {
            FloatVector c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, y, yb + o);
            for (int j = kb; j < ke; j++) {
                c = FloatVector.fromArray(S, a, j * n + o).fma(FloatVector.broadcast(S, x[xb + j]), c);
            }
            c.intoArray(y, yb + o);
        }
    }

    /**
     * acc (k×n) += xᵀ (k×rows) · g (rows×n). Each element is one FMA chain over the rows ascending (its partial
     * sum stored in acc between row blocks, which is exact): the columns that fill vectors row by row of acc, the
     * last n mod L columns by {@link #addTColumns}.
     */
    static void mulAddTransposed(float[] x, float[] g, float[] acc, int rows, int k, int n) {
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
    private static void addTColumns(float[] x, float[] g, float[] acc, int rows, int k, int n, int from) {
        float[] lanes = scratch(2 * L); // column o's L elements of acc at [0, L), column o + 1's at [L, 2L)
        int j = 0;
        for (; j + L <= k; j += L) {
            int o = from;
            for (; o + 1 < n; o += 2) {
                for (int i = 0; i < L; i++) {
                    lanes[i] = acc[(j + i) * n + o];
                    lanes[L + i] = acc[(j + i) * n + o + 1];
                }
                FloatVector s0 = FloatVector.fromArray(S, lanes, 0);
                FloatVector s1 = FloatVector.fromArray(S, lanes, L);
                for (int r = 0; r < rows; r++) {
                    FloatVector xv = FloatVector.fromArray(S, x, r * k + j);
                    s0 = xv.fma(FloatVector.broadcast(S, g[r * n + o]), s0);
                    s1 = xv.fma(FloatVector.broadcast(S, g[r * n + o + 1]), s1);
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
                FloatVector s0 = FloatVector.fromArray(S, lanes, 0);
                for (int r = 0; r < rows; r++) {
                    s0 = FloatVector.fromArray(S, x, r * k + j).fma(FloatVector.broadcast(S, g[r * n + o]), s0);
                }
                s0.intoArray(lanes, 0);
                for (int i = 0; i < L; i++) {
                    acc[(j + i) * n + o] = lanes[i];
                }
            }
        }
        for (; j < k; j++) {
            for (int o = from; o < n; o++) {
                float s = acc[j * n + o];
                for (int r = 0; r < rows; r++) {
                    s = Math.fma(x[r * k + j], g[r * n + o], s);
                }
                acc[j * n + o] = s;
            }
        }
    }

    private static void addT2x4(float[] x, float[] g, float[] acc, int rb, int re, int k, int n, int j, int o) {
        int a0 = j * n + o;
        int a1 = a0 + n;
        FloatVector c00 = FloatVector.fromArray(S, acc, a0);
        FloatVector c01 = FloatVector.fromArray(S, acc, a0 + L);
        FloatVector c02 = FloatVector.fromArray(S, acc, a0 + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, acc, a0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, acc, a1);
        FloatVector c11 = FloatVector.fromArray(S, acc, a1 + L);
        FloatVector c12 = FloatVector.fromArray(S, acc, a1 + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, acc, a1 + 3 * L);
        for (int r = rb; r < re; r++) {
            int gb = r * n + o;
            FloatVector g0 = FloatVector.fromArray(S, g, gb);
            FloatVector g1 = FloatVector.fromArray(S, g, gb + L);
            FloatVector g2 = FloatVector.fromArray(S, g, gb + 2 * L);
            FloatVector g3 = FloatVector.fromArray(S, g, gb + 3 * L);
            FloatVector v0 = FloatVector.broadcast(S, x[r * k + j]);
            FloatVector v1 = FloatVector.broadcast(S, x[r * k + j + 1]);
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
    private static void addT1(float[] x, float[] g, float[] acc, int rb, int re, int k, int n, int j, int from,
                              int to) {
        int ab = j * n;
        for (int o = from; o < to; o += L) {
            FloatVector c = FloatVector.fromArray(S, acc, ab + o);
            for (int r = rb; r < re; r++) {
                c = FloatVector.fromArray(S, g, r * n + o).fma(FloatVector.broadcast(S, x[r * k + j]), c);
            }
            c.intoArray(acc, ab + o);
        }
    }

    /** dst[base..base+n) = src[base..) ⊙ scale + shift (shift may be null). */
    static void scaleShift(float[] src, float[] dst, int base, float[] scale, float[] shift, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            FloatVector v = FloatVector.fromArray(S, src, base + o).mul(FloatVector.fromArray(S, scale, o));
            if (shift != null) {
                v = v.add(FloatVector.fromArray(S, shift, o));
            }
            v.intoArray(dst, base + o);
        }
        FloatScalarGemm.scaleShift(src, dst, base, scale, shift, o, n);
    }

    /** act = tanh(pre), d1 = 1 − act², d2 = −2·act·d1 over n elements: {@link FloatMath#tanh} lane-wise. */
    static void tanh(float[] pre, int base, float[] act, float[] d1, float[] d2, int dBase, int n) {
        int o = 0;
        FloatVector one = FloatVector.broadcast(S, 1);
        FloatVector two = FloatVector.broadcast(S, 2);
        FloatVector minusTwo = FloatVector.broadcast(S, -2);
        for (; o + L <= n; o += L) {
            FloatVector x = FloatVector.fromArray(S, pre, base + o);
            FloatVector a = one.sub(two.div(exp(x.mul(two)).add(one)));
            VectorMask<Float> small = x.abs().lt(FloatMath.TANH_SMALL);
            if (small.anyTrue()) {
                FloatVector x2 = x.mul(x);
                FloatVector p = FloatVector.broadcast(S, FloatMath.TANH_SERIES[0]);
                for (int i = 1; i < FloatMath.TANH_SERIES.length; i++) {
                    p = p.fma(x2, FloatVector.broadcast(S, FloatMath.TANH_SERIES[i]));
                }
                a = a.blend(p.mul(x), small);
            }
            a.intoArray(act, base + o);
            FloatVector dv = one.sub(a.mul(a));
            dv.intoArray(d1, dBase + o);
            a.mul(minusTwo).mul(dv).intoArray(d2, dBase + o);
        }
        FloatScalarGemm.tanh(pre, base, act, d1, d2, dBase, o, n);
    }

    /**
     * act = softplus(pre), d1 = sigmoid(pre), d2 = d1·(1 − d1) over n elements: {@link FloatMath#softplus} and
     * {@link FloatMath#sigmoid} lane-wise, same bits.
     */
    static void softplus(float[] pre, int base, float[] act, float[] d1, float[] d2, int dBase, int n) {
        int o = 0;
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector minusHalf = FloatVector.broadcast(S, -0.5f);
        for (; o + L <= n; o += L) {
            FloatVector x = FloatVector.fromArray(S, pre, base + o);
            FloatVector e = exp(x.abs().neg());
            VectorMask<Float> halved = e.compare(VectorOperators.GT, FloatMath.SQRT2_M1);
            FloatVector f = e.blend(e.sub(one).mul(half), halved);
            FloatVector k = zero.blend(one, halved);
            FloatVector z = f.mul(f);
            FloatVector p = FloatVector.broadcast(S, FloatMath.LOG_P[0]);
            for (int i = 1; i < FloatMath.LOG_P.length; i++) {
                p = p.fma(f, FloatVector.broadcast(S, FloatMath.LOG_P[i]));
            }
            FloatVector y = p.mul(f).mul(z);
            y = k.fma(FloatVector.broadcast(S, FloatMath.LN2_LO), y);
            y = minusHalf.fma(z, y);
            FloatVector l = k.fma(FloatVector.broadcast(S, FloatMath.LN2_HI), f.add(y));
            x.max(zero).add(l).intoArray(act, base + o);
            FloatVector r = one.div(one.add(e));
            FloatVector s = e.mul(r).blend(r, x.compare(VectorOperators.GE, 0f));
            s.intoArray(d1, dBase + o);
            s.mul(one.sub(s)).intoArray(d2, dBase + o);
        }
        FloatScalarGemm.softplus(pre, base, act, d1, d2, dBase, o, n);
    }

    /** {@link FloatMath#exp} lane-wise: the same operations, so the same bits. */
    static FloatVector exp(FloatVector x) {
        FloatVector u = x.max(FloatMath.MIN_ARG).min(FloatMath.MAX_ARG);
        FloatVector t = u.fma(FloatVector.broadcast(S, FloatMath.INV_LN2), FloatVector.broadcast(S, FloatMath.SHIFTER));
        FloatVector k = t.sub(FloatMath.SHIFTER);
        FloatVector minusK = k.neg();
        FloatVector r = minusK.fma(FloatVector.broadcast(S, FloatMath.LN2_HI), u);
        r = minusK.fma(FloatVector.broadcast(S, FloatMath.LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, FloatMath.COEFFS[0]);
        for (int i = 1; i < FloatMath.COEFFS.length; i++) {
            p = p.fma(r, FloatVector.broadcast(S, FloatMath.COEFFS[i]));
        }
        IntVector bits = (IntVector) t.reinterpretAsInts();
        FloatVector scale = bits.sub(FloatMath.SHIFTER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(scale);
    }

    /** dst[base..) = d1[dBase..) ⊙ src[base..) over n elements. */
    static void mulRows(float[] d1, int dBase, float[] src, float[] dst, int base, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            FloatVector.fromArray(S, d1, dBase + o).mul(FloatVector.fromArray(S, src, base + o)).intoArray(dst, base + o);
        }
        FloatScalarGemm.mulRows(d1, dBase, src, dst, base, o, n);
    }

    /** sum[o] += g[base+o] (sum may be null) and dot[o] += g[base+o]·y[base+o] over n columns. */
    static void accumulate(float[] g, float[] y, int base, float[] sum, float[] dot, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            FloatVector gv = FloatVector.fromArray(S, g, base + o);
            if (sum != null) {
                FloatVector.fromArray(S, sum, o).add(gv).intoArray(sum, o);
            }
            gv.fma(FloatVector.fromArray(S, y, base + o), FloatVector.fromArray(S, dot, o)).intoArray(dot, o);
        }
        FloatScalarGemm.accumulate(g, y, base, sum, dot, o, n);
    }

    /**
     * Reverse of the activation for one sample: the primal row at pb and m tangent rows after it (stride n).
     * Tangent gradients are scaled by σ' = d1; the primal gradient becomes σ'·g + σ''·Σ_j pre_j·g_j.
     */
    static void activationBackward(float[] g, float[] pre, float[] d1, float[] d2, int pb, int dBase, int m, int n) {
        int o = 0;
        for (; o + L <= n; o += L) {
            FloatVector dv = FloatVector.fromArray(S, d1, dBase + o);
            FloatVector second = FloatVector.zero(S);
            for (int j = 1; j <= m; j++) {
                int tb = pb + j * n + o;
                FloatVector gt = FloatVector.fromArray(S, g, tb);
                second = FloatVector.fromArray(S, pre, tb).fma(gt, second);
                gt.mul(dv).intoArray(g, tb);
            }
            dv.mul(FloatVector.fromArray(S, g, pb + o)).add(FloatVector.fromArray(S, d2, dBase + o).mul(second))
                    .intoArray(g, pb + o);
        }
        FloatScalarGemm.activationBackward(g, pre, d1, d2, pb, dBase, m, n, o);
    }
}
