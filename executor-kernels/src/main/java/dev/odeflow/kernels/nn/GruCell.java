package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.GRUCell(in, hidden)}, gates in its order (r, z, n):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h, with its tensors
 * {@code <prefix>.weight_ih} (3H×in), {@code weight_hh} (3H×H), {@code bias_ih}, {@code bias_hh}. A
 * {@link Run} steps n rows at once, each row only where its mask says (irregular sequences of different lengths
 * share one batch), and runs back through time. Immutable.
 */
public final class GruCell implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String prefix;
    private final int in;
    private final int hidden;

    public GruCell(String prefix, int in, int hidden) {
        if (prefix == null || prefix.isBlank() || in < 1 || hidden < 1) {
            throw new IllegalArgumentException("a GRU cell needs a name, in >= 1 and hidden >= 1");
        }
        this.prefix = prefix;
        this.in = in;
        this.hidden = hidden;
    }

    public int in() {
        return in;
    }

    public int hidden() {
        return hidden;
    }

    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        b.add(prefix + ".weight_ih", 3 * hidden, in);
        b.add(prefix + ".weight_hh", 3 * hidden, hidden);
        b.add(prefix + ".bias_ih", 3 * hidden);
        b.add(prefix + ".bias_hh", 3 * hidden);
        return b.build();
    }

    public int size() {
        return 3 * hidden * (in + hidden + 2);
    }

    /** PyTorch's default: every parameter U(−1/√H, 1/√H), in layout order, into θ[offset ..). */
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        double bound = 1 / Math.sqrt(hidden);
        for (int i = 0; i < size(); i++) {
            theta[offset + i] = (2 * rng.nextDouble() - 1) * bound;
        }
    }

    /** n rows from the hidden states h0 (n×H, copied) under θ[offset ..). */
    public Run run(double[] theta, int offset, int n, double[] h0) {
        if (offset < 0 || theta.length < offset + size() || n < 1 || h0.length != n * hidden) {
            throw new IllegalArgumentException("a GRU run needs room for " + size() + " parameters at " + offset
                    + " and n×" + hidden + " initial hidden values for n >= 1");
        }
        return new Run(theta, offset, n, h0.clone());
    }

    @Override
    public String toString() {
        return prefix + " gru " + in + "→" + hidden;
    }

    /** One thread's steps over n rows, keeping each step's gates for the run back through time. */
    public final class Run {
        private final double[] theta;
        private final int offset;
        private final int n;
        private final int g3 = 3 * hidden;
        /** W_ihᵀ (in×3H) and W_hhᵀ (H×3H) for the forward products; W_hh as stored for the reverse. */
        private final double[] wiT;
        private final double[] whT;
        private final double[] wh;
        private final List<Step> steps = new ArrayList<>();
        private double[] h;

        private record Step(double[] x, double[] hPrev, double[] r, double[] z, double[] nGate, double[] hn,
                            boolean[] active) {
        }

        Run(double[] theta, int offset, int n, double[] h0) {
            this.theta = theta;
            this.offset = offset;
            this.n = n;
            this.h = h0;
            wh = Arrays.copyOfRange(theta, offset + g3 * in, offset + g3 * in + g3 * hidden);
            wiT = transpose(Arrays.copyOfRange(theta, offset, offset + g3 * in), g3, in);
            whT = transpose(wh, g3, hidden);
        }

        private static double[] transpose(double[] a, int rows, int cols) {
            double[] t = new double[a.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = a[r * cols + c];
                }
            }
            return t;
        }

        /** The current hidden states (n×H; a copy). */
        public double[] hidden() {
            return h.clone();
        }

        /** Number of steps taken. */
        public int steps() {
            return steps.size();
        }

        /**
         * One step on the rows whose {@code active} entry is true with inputs x (n×in; inactive rows' inputs are
         * ignored): those rows take h' = GRU(x, h), the others keep h. Returns the new states (a copy).
         */
        public double[] step(double[] x, boolean[] active) {
            if (x.length != n * in || active.length != n) {
                throw new IllegalArgumentException("a step needs n×" + in + " inputs and n flags");
            }
            int bi = offset + g3 * in + g3 * hidden;
            int bh = bi + g3;
            double[] gi = new double[n * g3];
            double[] gh = new double[n * g3];
            Gemm.mul(x, wiT, gi, n, in, g3);
            Gemm.mul(h, whT, gh, n, hidden, g3);
            double[] r = new double[n * hidden];
            double[] z = new double[n * hidden];
            double[] ng = new double[n * hidden];
            double[] hn = new double[n * hidden];
            double[] next = h.clone();
            for (int row = 0; row < n; row++) {
                if (!active[row]) {
                    continue;
                }
                for (int j = 0; j < hidden; j++) {
                    int k = row * hidden + j;
                    int q = row * g3;
                    double rr = Activation.sigmoid(gi[q + j] + theta[bi + j] + gh[q + j] + theta[bh + j]);
                    double zz = Activation.sigmoid(gi[q + hidden + j] + theta[bi + hidden + j] + gh[q + hidden + j]
                            + theta[bh + hidden + j]);
                    double hh = gh[q + 2 * hidden + j] + theta[bh + 2 * hidden + j];
                    double nn = Activation.tanh(gi[q + 2 * hidden + j] + theta[bi + 2 * hidden + j] + rr * hh);
                    r[k] = rr;
                    z[k] = zz;
                    hn[k] = hh;
                    ng[k] = nn;
                    next[k] = (1 - zz) * nn + zz * h[k];
                }
            }
            steps.add(new Step(x.clone(), h, r, z, ng, hn, active.clone()));
            h = next;
            return next.clone();
        }

        /**
         * Back through every step: dH[k] is ∂L/∂(the states after k steps) (k = 0 the initial states; null where
         * the loss does not read them). Adds ∂L/∂θ into gTheta[gOffset ..) and returns ∂L/∂h0.
         */
        public double[] backward(double[][] dH, double[] gTheta, int gOffset) {
            if (dH.length != steps.size() + 1) {
                throw new IllegalArgumentException("need " + (steps.size() + 1) + " state gradients, got " + dH.length);
            }
            int wiAt = gOffset;
            int whAt = gOffset + g3 * in;
            int biAt = whAt + g3 * hidden;
            int bhAt = biAt + g3;
            double[] g = new double[n * hidden];
            double[] gwi = new double[in * g3];
            double[] gwh = new double[hidden * g3];
            for (int s = steps.size(); s >= 0; s--) {
                if (dH[s] != null) {
                    for (int i = 0; i < g.length; i++) {
                        g[i] += dH[s][i];
                    }
                }
                if (s == 0) {
                    break;
                }
                Step st = steps.get(s - 1);
                double[] dgi = new double[n * g3];
                double[] dgh = new double[n * g3];
                double[] carry = new double[n * hidden];
                for (int row = 0; row < n; row++) {
                    for (int j = 0; j < hidden; j++) {
                        int k = row * hidden + j;
                        if (!st.active[row]) {
                            carry[k] = g[k];
                            continue;
                        }
                        int q = row * g3;
                        double dn = g[k] * (1 - st.z[k]);
                        double dz = g[k] * (st.hPrev[k] - st.nGate[k]);
                        carry[k] = g[k] * st.z[k];
                        double dan = dn * (1 - st.nGate[k] * st.nGate[k]);
                        double dar = dan * st.hn[k] * st.r[k] * (1 - st.r[k]);
                        double daz = dz * st.z[k] * (1 - st.z[k]);
                        dgi[q + j] = dar;
                        dgi[q + hidden + j] = daz;
                        dgi[q + 2 * hidden + j] = dan;
                        dgh[q + j] = dar;
                        dgh[q + hidden + j] = daz;
                        dgh[q + 2 * hidden + j] = dan * st.r[k];
                    }
                }
                Gemm.mulAddTransposed(st.x, dgi, gwi, n, in, g3);
                Gemm.mulAddTransposed(st.hPrev, dgh, gwh, n, hidden, g3);
                for (int row = 0; row < n; row++) {
                    for (int c = 0; c < g3; c++) {
                        gTheta[biAt + c] += dgi[row * g3 + c];
                        gTheta[bhAt + c] += dgh[row * g3 + c];
                    }
                }
                double[] back = new double[n * hidden];
                Gemm.mul(dgh, wh, back, n, g3, hidden);
                for (int i = 0; i < g.length; i++) {
                    g[i] = carry[i] + back[i];
                }
            }
            for (int c = 0; c < g3; c++) {
                for (int k = 0; k < in; k++) {
                    gTheta[wiAt + c * in + k] += gwi[k * g3 + c];
                }
                for (int k = 0; k < hidden; k++) {
                    gTheta[whAt + c * hidden + k] += gwh[k * g3 + c];
                }
            }
            return g;
        }
    }
}
