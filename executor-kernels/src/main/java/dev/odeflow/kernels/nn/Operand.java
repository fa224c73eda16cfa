package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.FloatGemm;
import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.Precision;

import java.util.Arrays;

/**
 * The left operand of a layer's product with its weight W (k×n), in the layer's {@link Precision}: a rows×k matrix
 * (a batch's inputs, or a convolution's im2col matrix) that the layer fills element by element, then
 * {@link #forward} y = M·W, {@link #weightGradient} Mᵀ·dOut and {@link #backward} M ← dOut·Wᵀ, whose entries the
 * layer reads back. Everything outside it stays in double: {@link Precision#FLOAT32} rounds W once per pass and
 * the entries as they are written, runs {@link FloatGemm}'s products (twice the SIMD lanes) and widens their
 * results; {@link Precision#FLOAT64} is {@link Gemm} on doubles, bit for bit what the layers computed before.
 */
abstract sealed class Operand permits Operand.Doubles, Operand.Floats {

    final int rows;
    final int k;
    final int n;

    private Operand(int rows, int k, int n) {
        this.rows = rows;
        this.k = k;
        this.n = n;
    }

    /** An operand of rows×k entries for the weight w (k×n, row-major) in precision p. */
    static Operand of(Precision p, double[] w, int rows, int k, int n) {
        return p == Precision.FLOAT32 ? new Floats(w, rows, k, n) : new Doubles(w, rows, k, n);
    }

    /** M[at .. at+len) = 0. */
    abstract void zero(int at, int len);

    /** M[at] = v. */
    abstract void put(int at, double v);

    /** M[at .. at+len) = src[from .. from+len). */
    abstract void copy(double[] src, int from, int at, int len);

    /** M[at]. */
    abstract double get(int at);

    /** dst[to .. to+len) += M[at .. at+len). */
    abstract void addTo(int at, double[] dst, int to, int len);

    /** y (rows×n) = M·W. */
    abstract void forward(double[] y);

    /** gw (k×n) = Mᵀ·dOut (dOut rows×n; gw overwritten). */
    abstract void weightGradient(double[] dOut, double[] gw);

    /** M ← dOut·Wᵀ (dOut rows×n): M then holds ∂L/∂M. */
    abstract void backward(double[] dOut);

    /** Bytes of the matrix. */
    abstract long bytes();

    static final class Doubles extends Operand {
        private final double[] m;
        private final double[] w;
        private final double[] wt;

        private Doubles(double[] w, int rows, int k, int n) {
            super(rows, k, n);
            this.m = new double[Math.multiplyExact(rows, k)];
            this.w = w;
            this.wt = Layers.transpose(w, k, n);
        }

        @Override
        void zero(int at, int len) {
            Arrays.fill(m, at, at + len, 0);
        }

        @Override
        void put(int at, double v) {
            m[at] = v;
        }

        @Override
        void copy(double[] src, int from, int at, int len) {
            System.arraycopy(src, from, m, at, len);
        }

        @Override
        double get(int at) {
            return m[at];
        }

        @Override
        void addTo(int at, double[] dst, int to, int len) {
            for (int i = 0; i < len; i++) {
                dst[to + i] += m[at + i];
            }
        }

        @Override
        void forward(double[] y) {
            Gemm.mul(m, w, y, rows, k, n);
        }

        @Override
        void weightGradient(double[] dOut, double[] gw) {
            Arrays.fill(gw, 0, k * n, 0);
            Gemm.mulAddTransposed(m, dOut, gw, rows, k, n);
        }

        @Override
        void backward(double[] dOut) {
            Gemm.mul(dOut, wt, m, rows, n, k);
        }

        @Override
        long bytes() {
            return 8L * m.length;
        }
    }

    static final class Floats extends Operand {
        private final float[] m;
        private final float[] w;
        private final float[] wt;
        /** The product's output, the incoming gradient and the weight gradient in float. */
        private final float[] y;
        private final float[] gw;

        private Floats(double[] w, int rows, int k, int n) {
            super(rows, k, n);
            this.m = new float[Math.multiplyExact(rows, k)];
            this.w = narrow(w);
            this.wt = narrow(Layers.transpose(w, k, n));
            this.y = new float[Math.multiplyExact(rows, n)];
            this.gw = new float[k * n];
        }

        private static float[] narrow(double[] a) {
            float[] f = new float[a.length];
            narrow(a, 0, f, 0, a.length);
            return f;
        }

        /** dst[at .. at+len) = src[from .. from+len) rounded to float. */
        private static void narrow(double[] src, int from, float[] dst, int at, int len) {
            for (int i = 0; i < len; i++) {
                dst[at + i] = (float) src[from + i];
            }
        }

        @Override
        void zero(int at, int len) {
            Arrays.fill(m, at, at + len, 0f);
        }

        @Override
        void put(int at, double v) {
            m[at] = (float) v;
        }

        @Override
        void copy(double[] src, int from, int at, int len) {
            narrow(src, from, m, at, len);
        }

        @Override
        double get(int at) {
            return m[at];
        }

        @Override
        void addTo(int at, double[] dst, int to, int len) {
            for (int i = 0; i < len; i++) {
                dst[to + i] += m[at + i];
            }
        }

        @Override
        void forward(double[] out) {
            FloatGemm.mul(m, w, y, rows, k, n);
            for (int i = 0; i < rows * n; i++) {
                out[i] = y[i];
            }
        }

        @Override
        void weightGradient(double[] dOut, double[] out) {
            narrow(dOut, 0, y, 0, rows * n);
            Arrays.fill(gw, 0f);
            FloatGemm.mulAddTransposed(m, y, gw, rows, k, n);
            for (int i = 0; i < k * n; i++) {
                out[i] = gw[i];
            }
        }

        @Override
        void backward(double[] dOut) {
            narrow(dOut, 0, y, 0, rows * n);
            FloatGemm.mul(y, wt, m, rows, n, k);
        }

        @Override
        long bytes() {
            return 4L * m.length;
        }
    }
}
