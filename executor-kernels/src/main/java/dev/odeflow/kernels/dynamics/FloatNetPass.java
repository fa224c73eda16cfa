package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.trace.Probe;

import java.util.Arrays;

/**
 * {@link OdeNet}'s pass for {@link Precision#FLOAT32}: the same rows, layers and reverse mode as the double
 * pass, with the activations, the tape and the per-layer gradients in float and the products and the tanh and
 * softplus activations on {@link FloatGemm} (elu and swish: the double functions, rounded). θ is rounded to float as each forward call lays out its (transposed) weights; z, the
 * probe directions and the incoming cotangents are rounded on the way in; f, the trace, ∂/∂z, ∂/∂θ and ∂/∂t
 * go back in double (the trace and the small per-unit parameter terms summed in double).
 */
final class FloatNetPass implements BatchDynamics.Pass {

    private final OdeNet net;
    private final int[] widths;
    private final int maxBatch;
    private int n;
    private int m;
    private int rows;
    private double t;
    private double[] theta;
    private double[] probeDirs;
    private float[] input = new float[0];
    /** Per layer: linear output before bias/gate (all rows). */
    private final float[][] lin;
    /** Per layer: pre-activation (all rows); for the last layer, the output. */
    private final float[][] pre;
    /** Per hidden layer: post-activation (all rows). */
    private final float[][] act;
    /** Per hidden layer: σ'(pre) of the primal rows (n×out). */
    private final float[][] d1;
    /** Per hidden layer: σ''(pre) of the primal rows (n×out). */
    private final float[][] d2;
    /** Per layer: gate sigmoid(W_g t + b_g). */
    private final float[][] gate;
    /** Per layer: Wᵀ (in×out) of the current θ. */
    private final float[][] wt;
    /** Per layer: what the primal rows add after the product (bias, gate and time terms). */
    private final float[][] shift;
    /** Per layer: W (out×in) without the time column. */
    private final float[][] wc;
    private final float[][] gwt;
    private float[] gradA = new float[0];
    private float[] gradB = new float[0];
    private final float[] gg;
    private final float[] colSum;

    FloatNetPass(OdeNet net, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatch);
        }
        this.net = net;
        this.widths = net.widths;
        this.maxBatch = maxBatch;
        int layers = widths.length - 1;
        lin = new float[layers][0];
        pre = new float[layers][0];
        act = new float[layers][0];
        d1 = new float[layers][0];
        d2 = new float[layers][0];
        gate = new float[layers][];
        wt = new float[layers][];
        shift = new float[layers][];
        wc = new float[layers][];
        gwt = new float[layers][];
        int maxW = 0;
        for (int l = 0; l < layers; l++) {
            gate[l] = new float[widths[l + 1]];
            shift[l] = new float[widths[l + 1]];
            wt[l] = new float[widths[l] * widths[l + 1]];
            wc[l] = new float[widths[l] * widths[l + 1]];
            gwt[l] = new float[widths[l] * widths[l + 1]];
            maxW = Math.max(maxW, widths[l + 1]);
        }
        gg = new float[maxW];
        colSum = new float[maxW];
    }

    @Override
    public long retainedBytes() {
        return 4L * (input.length + gradA.length + gradB.length + gg.length + colSum.length
                + BatchDynamics.length(lin, pre, act, d1, d2, gate, wt, shift, wc, gwt));
    }

    private void ensure(int n, int m) {
        net.checkBatch(n, m, maxBatch);
        int r = n * (m + 1);
        if (input.length < r * widths[0]) {
            input = new float[r * widths[0]];
        }
        int maxW = widths[0];
        for (int l = 0; l + 1 < widths.length; l++) {
            int need = r * widths[l + 1];
            maxW = Math.max(maxW, widths[l + 1]);
            if (lin[l].length < need) {
                lin[l] = new float[need];
                pre[l] = new float[need];
                if (l + 2 < widths.length) {
                    act[l] = new float[need];
                }
            }
            if (l + 2 < widths.length && d1[l].length < n * widths[l + 1]) {
                d1[l] = new float[n * widths[l + 1]];
                d2[l] = new float[n * widths[l + 1]];
            }
        }
        if (gradA.length < r * maxW) {
            gradA = new float[r * maxW];
            gradB = new float[r * maxW];
        }
    }

    @Override
    public void forward(double t, double[] theta, double[] z, int n, Probe probe, double[] f, double[] trace) {
        int d = widths[0];
        int m = probe.count();
        ensure(n, m);
        this.n = n;
        this.m = m;
        this.rows = n * (m + 1);
        this.t = t;
        this.theta = theta;
        this.probeDirs = probe.directions();
        for (int i = 0; i < n; i++) {
            int r0 = i * (m + 1);
            for (int c = 0; c < d; c++) {
                input[r0 * d + c] = (float) z[i * d + c];
            }
            for (int j = 0; j < m; j++) {
                int base = (r0 + 1 + j) * d;
                for (int c = 0; c < d; c++) {
                    input[base + c] = probeDirs == null ? (c == j ? 1 : 0) : (float) probeDirs[(i * m + j) * d + c];
                }
            }
        }
        float[] x = input;
        int last = widths.length - 2;
        for (int l = 0; l <= last; l++) {
            layerForward(l, x);
            if (l < last) {
                activate(l);
                x = act[l];
            }
        }
        float[] out = pre[last];
        for (int i = 0; i < n; i++) {
            int r0 = i * (m + 1);
            for (int c = 0; c < d; c++) {
                f[i * d + c] = out[r0 * d + c];
            }
            if (m > 0 && trace != null) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    int base = (r0 + 1 + j) * d;
                    if (probeDirs == null) {
                        s += out[base + j];
                    } else {
                        int u = (i * m + j) * d;
                        for (int c = 0; c < d; c++) {
                            s += probeDirs[u + c] * out[base + c];
                        }
                    }
                }
                trace[i] = s;
            }
        }
    }

    private void layerForward(int l, float[] x) {
        int in = widths[l];
        int out = widths[l + 1];
        int[] off = net.offsets[l];
        boolean concat = net.kind == LayerKind.CONCAT;
        int cols = concat ? in + 1 : in;
        int skip = concat ? 1 : 0;
        float[] w = wt[l];
        float[] c = wc[l];
        for (int o = 0; o < out; o++) {
            int tb = off[0] + o * cols + skip;
            for (int k = 0; k < in; k++) {
                float v = (float) theta[tb + k];
                w[k * out + o] = v;
                c[o * in + k] = v;
            }
        }
        float[] y = lin[l];
        FloatGemm.mul(x, w, y, rows, in, out);
        float[] p = pre[l];
        float[] sh = shift[l];
        if (!concat) {
            float[] g = gate[l];
            for (int o = 0; o < out; o++) {
                double gd = Activation.sigmoid(theta[off[3] + o] * t + theta[off[4] + o]);
                g[o] = (float) gd;
                sh[o] = (float) (theta[off[1] + o] * gd + theta[off[2] + o] * t);
            }
            for (int r = 0; r < rows; r++) {
                FloatGemm.scaleShift(y, p, r * out, g, r % (m + 1) == 0 ? sh : null, out);
            }
        } else {
            for (int o = 0; o < out; o++) {
                sh[o] = (float) (theta[off[1] + o] + theta[off[0] + o * cols] * t);
            }
            for (int r = 0; r < rows; r++) {
                int base = r * out;
                if (r % (m + 1) == 0) {
                    for (int o = 0; o < out; o++) {
                        p[base + o] = y[base + o] + sh[o];
                    }
                } else {
                    System.arraycopy(y, base, p, base, out);
                }
            }
        }
    }

    private void activate(int l) {
        int out = widths[l + 1];
        float[] p = pre[l];
        float[] a = act[l];
        float[] der = d1[l];
        float[] der2 = d2[l];
        Activation activation = net.activation;
        for (int i = 0; i < n; i++) {
            int r0 = i * (m + 1);
            int pb = r0 * out;
            switch (activation) {
                case TANH -> FloatGemm.tanh(p, pb, a, der, der2, i * out, out);
                case SOFTPLUS -> FloatGemm.softplus(p, pb, a, der, der2, i * out, out);
                default -> {
                    for (int o = 0; o < out; o++) {
                        double v = p[pb + o];
                        double av = activation.value(v);
                        a[pb + o] = (float) av;
                        der[i * out + o] = (float) activation.d1(v, av);
                        der2[i * out + o] = (float) activation.d2(v, av);
                    }
                }
            }
            for (int j = 1; j <= m; j++) {
                FloatGemm.mulRows(der, i * out, p, a, (r0 + j) * out, out);
            }
        }
    }

    @Override
    public double backward(double[] gF, double[] gS, double[] gz, double[] gTheta) {
        if (theta == null) {
            throw new IllegalStateException("backward called before forward");
        }
        int d = widths[0];
        int last = widths.length - 2;
        float[] g = gradA;
        float[] gPrev = gradB;
        for (int i = 0; i < n; i++) {
            int r0 = i * (m + 1);
            for (int c = 0; c < d; c++) {
                g[r0 * d + c] = (float) gF[i * d + c];
            }
            double w = gS == null ? 0 : gS[i];
            for (int j = 0; j < m; j++) {
                int base = (r0 + 1 + j) * d;
                for (int c = 0; c < d; c++) {
                    g[base + c] = (float) (w * (probeDirs == null ? (c == j ? 1 : 0)
                            : probeDirs[(i * m + j) * d + c]));
                }
            }
        }
        double gt = 0;
        for (int l = last; l >= 0; l--) {
            if (l < last) {
                activationBackward(l, g);
            }
            gt += layerBackward(l, g, gPrev, l == 0 ? gz : null, gTheta);
            float[] tmp = g;
            g = gPrev;
            gPrev = tmp;
        }
        return gt;
    }

    /** Turns gradients w.r.t. the activations of layer l into gradients w.r.t. its pre-activations. */
    private void activationBackward(int l, float[] g) {
        int out = widths[l + 1];
        for (int i = 0; i < n; i++) {
            FloatGemm.activationBackward(g, pre[l], d1[l], d2[l], i * (m + 1) * out, i * out, m, out);
        }
    }

    /**
     * Reverse of one layer: g holds gradients w.r.t. its pre-activations (overwritten with the gated gradient);
     * writes gradients w.r.t. its inputs into gPrev, or for layer 0 adds the primal rows into gz (double).
     */
    private double layerBackward(int l, float[] g, float[] gPrev, double[] gz, double[] gTheta) {
        int in = widths[l];
        int out = widths[l + 1];
        int[] off = net.offsets[l];
        boolean concat = net.kind == LayerKind.CONCAT;
        int cols = concat ? in + 1 : in;
        int skip = concat ? 1 : 0;
        double gt = 0;
        if (!concat) {
            float[] gate = this.gate[l];
            Arrays.fill(gg, 0, out, 0);
            Arrays.fill(colSum, 0, out, 0);
            for (int r = 0; r < rows; r++) {
                int base = r * out;
                FloatGemm.accumulate(g, lin[l], base, r % (m + 1) == 0 ? colSum : null, gg, out);
                FloatGemm.scaleShift(g, g, base, gate, null, out);
            }
            for (int o = 0; o < out; o++) {
                double sum = colSum[o];
                double gate1 = gate[o];
                double ggo = gg[o] + sum * theta[off[1] + o];
                gTheta[off[1] + o] += sum * gate1;
                gTheta[off[2] + o] += sum * t;
                gt += sum * theta[off[2] + o];
                double gp = ggo * gate1 * (1 - gate1);
                gTheta[off[3] + o] += gp * t;
                gTheta[off[4] + o] += gp;
                gt += gp * theta[off[3] + o];
            }
        } else {
            for (int i = 0; i < n; i++) {
                int base = i * (m + 1) * out;
                for (int o = 0; o < out; o++) {
                    double gv = g[base + o];
                    gTheta[off[1] + o] += gv;
                    gTheta[off[0] + o * cols] += gv * t;
                    gt += gv * theta[off[0] + o * cols];
                }
            }
        }
        float[] x = l == 0 ? input : act[l - 1];
        float[] gw = gwt[l];
        Arrays.fill(gw, 0);
        if (in >= out) {
            // ∂W itself (out×in): the product's columns run along the wider side, and the sum into θ is in order.
            FloatGemm.mulAddTransposed(g, x, gw, rows, out, in);
            for (int o = 0; o < out; o++) {
                int wb = off[0] + o * cols + skip;
                int gb = o * in;
                for (int k = 0; k < in; k++) {
                    gTheta[wb + k] += gw[gb + k];
                }
            }
        } else {
            FloatGemm.mulAddTransposed(x, g, gw, rows, in, out);
            for (int o = 0; o < out; o++) {
                int wb = off[0] + o * cols + skip;
                for (int k = 0; k < in; k++) {
                    gTheta[wb + k] += gw[k * out + o];
                }
            }
        }
        if (gz != null) {
            // Only the primal rows reach z: gathered into gPrev, their product lands in g (no longer needed).
            for (int i = 0; i < n; i++) {
                System.arraycopy(g, i * (m + 1) * out, gPrev, i * out, out);
            }
            FloatGemm.mul(gPrev, wc[l], g, n, out, in);
            for (int i = 0; i < n * in; i++) {
                gz[i] += g[i];
            }
        } else {
            FloatGemm.mul(g, wc[l], gPrev, rows, out, in);
        }
        return gt;
    }

    @Override
    public void jvp(double t, double[] theta, double[] z, int n, double[] dz, double[] out) {
        int d = widths[0];
        forward(t, theta, z, n, new Probe(1, dz), new double[n * d], null);
        float[] res = pre[widths.length - 2];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                out[i * d + c] = res[(2 * i + 1) * d + c];
            }
        }
    }
}
