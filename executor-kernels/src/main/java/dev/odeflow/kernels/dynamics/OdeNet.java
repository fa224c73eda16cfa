package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.trace.Probe;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;

/**
 * FFJORD's ODEnet: a stack of time-dependent linear layers ({@link LayerKind}) with an activation after
 * every layer but the last. Forward mode carries m tangent directions alongside the primal rows through
 * the same matrix products; reverse mode runs back through both, which yields the VJPs of f and of the
 * trace estimate (the second-order terms) in one pass, analytically.
 *
 * <p>Row layout inside a pass: sample i owns rows i·(m+1) (primal) and i·(m+1)+1+j (tangent j).
 *
 * <p>The {@link Precision} picks the passes' arithmetic: double ({@link Precision#FLOAT64}, the default) or
 * float ({@link Precision#FLOAT32}, {@code FloatNetPass}); the interface, θ and every caller stay in double.
 */
public final class OdeNet implements BatchDynamics, Serializable {

    private static final long serialVersionUID = 2L;

    final int[] widths;
    /** The largest width: the row length of the widest per-pass buffer. */
    private final int widest;
    final LayerKind kind;
    final Activation activation;
    private final Precision precision;
    private final ParameterLayout layout;
    /** Passes handed back for reuse (not serialized: a deserialized network starts with none). */
    private transient volatile PassPool pool;
    /** Per layer: offsets of W, b, hyper-bias, gate weight, gate bias (the last three only for concatsquash). */
    final int[][] offsets;

    /** A double-precision network ({@link Precision#FLOAT64}). */
    public OdeNet(int[] widths, LayerKind kind, Activation activation) {
        this(widths, kind, activation, Precision.FLOAT64);
    }

    /** The network of {@code arch}, in its precision. */
    public OdeNet(CnfArchitecture arch) {
        this(arch.widths(), arch.layer(), arch.activation(), arch.precision());
    }

    public OdeNet(int[] widths, LayerKind kind, Activation activation, Precision precision) {
        if (precision == null) {
            throw new IllegalArgumentException("precision is required (float64 or float32)");
        }
        if (widths.length < 2 || widths[0] != widths[widths.length - 1]) {
            throw new IllegalArgumentException("ODEnet widths must start and end at the state dimension: "
                    + Arrays.toString(widths));
        }
        this.widths = widths.clone();
        this.widest = Arrays.stream(widths).max().getAsInt();
        this.kind = kind;
        this.activation = activation;
        this.precision = precision;
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        offsets = new int[widths.length - 1][];
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            String p = "layers." + l + ".";
            if (kind == LayerKind.CONCATSQUASH) {
                offsets[l] = new int[] {
                    b.add(p + "_layer.weight", out, in), b.add(p + "_layer.bias", out),
                    b.add(p + "_hyper_bias.weight", out, 1), b.add(p + "_hyper_gate.weight", out, 1),
                    b.add(p + "_hyper_gate.bias", out)};
            } else {
                offsets[l] = new int[] {b.add(p + "_layer.weight", out, in + 1), b.add(p + "_layer.bias", out)};
            }
        }
        layout = b.build();
    }

    @Override
    public int dim() {
        return widths[0];
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    public int[] widths() {
        return widths.clone();
    }

    public LayerKind kind() {
        return kind;
    }

    public Activation activation() {
        return activation;
    }

    public Precision precision() {
        return precision;
    }

    @Override
    public String toString() {
        return "OdeNet(" + kind.label() + " " + Arrays.toString(widths) + " " + activation.label()
                + (precision == Precision.FLOAT64 ? "" : " " + precision.label()) + ")";
    }

    /** PyTorch's nn.Linear default: weights and biases U(−1/√fan_in, 1/√fan_in). */
    @Override
    public double[] initialParameters(Random rng) {
        double[] theta = new double[layout.size()];
        for (NamedTensor t : layout.tensors()) {
            int[] shape = t.shape();
            int fanIn = t.name().contains("_hyper") ? 1 : (t.name().endsWith("weight") ? shape[1] : fanInOf(t.name()));
            double bound = 1 / Math.sqrt(fanIn);
            for (int i = 0; i < t.size(); i++) {
                theta[t.offset() + i] = (2 * rng.nextDouble() - 1) * bound;
            }
        }
        return theta;
    }

    private int fanInOf(String biasName) {
        int l = Integer.parseInt(biasName.split("\\.")[1]);
        return widths[l] + (kind == LayerKind.CONCAT ? 1 : 0);
    }

    @Override
    public Pass newPass(int maxBatch) {
        return precision == Precision.FLOAT32 ? new FloatNetPass(this, maxBatch) : new NetPass(maxBatch);
    }

    @Override
    public Pass takePass(int maxBatch) {
        return pool().take(maxBatch, this::newPass);
    }

    @Override
    public void returnPass(int maxBatch, Pass p) {
        pool().give(maxBatch, p);
    }

    private PassPool pool() {
        PassPool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    p = new PassPool();
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Rejects a batch of n samples with m probes that a pass of maxBatch cannot hold or Java cannot index. */
    void checkBatch(int n, int m, int maxBatch) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " samples, this pass holds 1.." + maxBatch);
        }
        if ((long) n * (m + 1) * widest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + n + " samples with " + m + " probes needs arrays of "
                    + (long) n * (m + 1) + " × " + widest + " elements, more than Java allows");
        }
    }

    /** Scratch buffers and the tape of the last forward evaluation. */
    private final class NetPass implements Pass {
        private final int maxBatch;
        private int n;
        private int m;
        private int rows;
        private double t;
        private double[] theta;
        private double[] probeDirs;
        private double[] input = new double[0];
        /** Per layer: linear output before bias/gate (all rows). */
        private final double[][] lin = new double[widths.length - 1][0];
        /** Per layer: pre-activation (all rows); for the last layer, the output. */
        private final double[][] pre = new double[widths.length - 1][0];
        /** Per hidden layer: post-activation (all rows). */
        private final double[][] act = new double[widths.length - 1][0];
        /** Per hidden layer: σ'(pre) of the primal rows (n×out). */
        private final double[][] d1 = new double[widths.length - 1][0];
        /** Per layer: gate sigmoid(W_g t + b_g). */
        private final double[][] gate = new double[widths.length - 1][];
        /** Per layer: Wᵀ (in×out) of the current θ. */
        private final double[][] wt = new double[widths.length - 1][];
        /** Per layer: what the primal rows add after the product (bias, gate and time terms). */
        private final double[][] shift = new double[widths.length - 1][];
        /** Per layer: W (out×in) without the time column. */
        private final double[][] wc = new double[widths.length - 1][];
        private final double[][] gwt = new double[widths.length - 1][];
        private double[] gradA = new double[0];
        private double[] gradB = new double[0];
        private final double[] gg;
        private final double[] colSum;

        NetPass(int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatch);
            }
            this.maxBatch = maxBatch;
            int maxW = 0;
            for (int l = 0; l + 1 < widths.length; l++) {
                gate[l] = new double[widths[l + 1]];
                shift[l] = new double[widths[l + 1]];
                wt[l] = new double[widths[l] * widths[l + 1]];
                wc[l] = new double[widths[l] * widths[l + 1]];
                gwt[l] = new double[widths[l] * widths[l + 1]];
                maxW = Math.max(maxW, widths[l + 1]);
            }
            gg = new double[maxW];
            colSum = new double[maxW];
        }

        @Override
        public long retainedBytes() {
            return 8L * (input.length + gradA.length + gradB.length + gg.length + colSum.length
                    + BatchDynamics.length(lin, pre, act, d1, gate, wt, shift, wc, gwt));
        }

        private void ensure(int n, int m) {
            checkBatch(n, m, maxBatch);
            int r = n * (m + 1);
            if (input.length < r * widths[0]) {
                input = new double[r * widths[0]];
            }
            int maxW = widths[0];
            for (int l = 0; l + 1 < widths.length; l++) {
                int need = r * widths[l + 1];
                maxW = Math.max(maxW, widths[l + 1]);
                if (lin[l].length < need) {
                    lin[l] = new double[need];
                    pre[l] = new double[need];
                    if (l + 2 < widths.length) {
                        act[l] = new double[need];
                    }
                }
                if (l + 2 < widths.length && d1[l].length < n * widths[l + 1]) {
                    d1[l] = new double[n * widths[l + 1]];
                }
            }
            if (gradA.length < r * maxW) {
                gradA = new double[r * maxW];
                gradB = new double[r * maxW];
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
                System.arraycopy(z, i * d, input, r0 * d, d);
                for (int j = 0; j < m; j++) {
                    int base = (r0 + 1 + j) * d;
                    if (probeDirs == null) {
                        Arrays.fill(input, base, base + d, 0);
                        input[base + j] = 1;
                    } else {
                        System.arraycopy(probeDirs, (i * m + j) * d, input, base, d);
                    }
                }
            }
            double[] x = input;
            int last = widths.length - 2;
            for (int l = 0; l <= last; l++) {
                layerForward(l, x);
                if (l < last) {
                    activate(l);
                    x = act[l];
                }
            }
            double[] out = pre[last];
            for (int i = 0; i < n; i++) {
                int r0 = i * (m + 1);
                System.arraycopy(out, r0 * d, f, i * d, d);
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

        private void layerForward(int l, double[] x) {
            int in = widths[l];
            int out = widths[l + 1];
            int[] off = offsets[l];
            int cols = kind == LayerKind.CONCAT ? in + 1 : in;
            int skip = kind == LayerKind.CONCAT ? 1 : 0;
            double[] w = wt[l];
            double[] c = wc[l];
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) {
                    double v = theta[off[0] + o * cols + skip + k];
                    w[k * out + o] = v;
                    c[o * in + k] = v;
                }
            }
            double[] y = lin[l];
            Gemm.mul(x, w, y, rows, in, out);
            double[] p = pre[l];
            int bias = off[1];
            double[] sh = shift[l];
            if (kind == LayerKind.CONCATSQUASH) {
                double[] g = gate[l];
                for (int o = 0; o < out; o++) {
                    g[o] = Activation.sigmoid(theta[off[3] + o] * t + theta[off[4] + o]);
                    sh[o] = theta[bias + o] * g[o] + theta[off[2] + o] * t;
                }
                for (int r = 0; r < rows; r++) {
                    Gemm.scaleShift(y, p, r * out, g, r % (m + 1) == 0 ? sh : null, out);
                }
            } else {
                for (int o = 0; o < out; o++) {
                    sh[o] = theta[bias + o] + theta[off[0] + o * cols] * t;
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
            double[] p = pre[l];
            double[] a = act[l];
            double[] der = d1[l];
            for (int i = 0; i < n; i++) {
                int r0 = i * (m + 1);
                int pb = r0 * out;
                if (activation == Activation.TANH) {
                    Gemm.tanh(p, pb, a, der, i * out, out);
                } else {
                    for (int o = 0; o < out; o++) {
                        double v = p[pb + o];
                        double av = activation.value(v);
                        a[pb + o] = av;
                        der[i * out + o] = activation.d1(v, av);
                    }
                }
                for (int j = 1; j <= m; j++) {
                    Gemm.mulRows(der, i * out, p, a, (r0 + j) * out, out);
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
            double[] g = gradA;
            double[] gPrev = gradB;
            for (int i = 0; i < n; i++) {
                int r0 = i * (m + 1);
                System.arraycopy(gF, i * d, g, r0 * d, d);
                for (int j = 0; j < m; j++) {
                    int base = (r0 + 1 + j) * d;
                    double w = gS == null ? 0 : gS[i];
                    for (int c = 0; c < d; c++) {
                        g[base + c] = w * (probeDirs == null ? (c == j ? 1 : 0) : probeDirs[(i * m + j) * d + c]);
                    }
                }
            }
            double gt = 0;
            for (int l = last; l >= 0; l--) {
                if (l < last) {
                    activationBackward(l, g);
                }
                gt += layerBackward(l, g, gPrev, l == 0 ? gz : null, gTheta);
                double[] tmp = g;
                g = gPrev;
                gPrev = tmp;
            }
            return gt;
        }

        /** Turns gradients w.r.t. the activations of layer l into gradients w.r.t. its pre-activations. */
        private void activationBackward(int l, double[] g) {
            int out = widths[l + 1];
            double[] p = pre[l];
            double[] a = act[l];
            double[] der = d1[l];
            for (int i = 0; i < n; i++) {
                int pb = i * (m + 1) * out;
                if (activation == Activation.TANH) {
                    Gemm.tanhBackward(g, p, a, der, pb, i * out, m, out);
                    continue;
                }
                for (int o = 0; o < out; o++) {
                    double dv = der[i * out + o];
                    double second = 0;
                    for (int j = 1; j <= m; j++) {
                        int tb = pb + j * out;
                        second += p[tb + o] * g[tb + o];
                        g[tb + o] *= dv;
                    }
                    double sec = m > 0 ? activation.d2(p[pb + o], a[pb + o]) * second : 0;
                    g[pb + o] = dv * g[pb + o] + sec;
                }
            }
        }

        /**
         * Reverse of one layer: g holds gradients w.r.t. its pre-activations (overwritten with the gated
         * gradient); writes gradients w.r.t. its inputs into gPrev, or for layer 0 adds the primal rows into gz.
         */
        private double layerBackward(int l, double[] g, double[] gPrev, double[] gz, double[] gTheta) {
            int in = widths[l];
            int out = widths[l + 1];
            int[] off = offsets[l];
            int cols = kind == LayerKind.CONCAT ? in + 1 : in;
            int skip = kind == LayerKind.CONCAT ? 1 : 0;
            double[] y = lin[l];
            double gt = 0;
            if (kind == LayerKind.CONCATSQUASH) {
                double[] gate = this.gate[l];
                Arrays.fill(gg, 0, out, 0);
                Arrays.fill(colSum, 0, out, 0);
                for (int r = 0; r < rows; r++) {
                    int base = r * out;
                    Gemm.accumulate(g, y, base, r % (m + 1) == 0 ? colSum : null, gg, out);
                    Gemm.scaleShift(g, g, base, gate, null, out);
                }
                for (int o = 0; o < out; o++) {
                    double sum = colSum[o];
                    gg[o] += sum * theta[off[1] + o];
                    gTheta[off[1] + o] += sum * gate[o];
                    gTheta[off[2] + o] += sum * t;
                    gt += sum * theta[off[2] + o];
                    double gp = gg[o] * gate[o] * (1 - gate[o]);
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
            double[] x = l == 0 ? input : act[l - 1];
            double[] gw = gwt[l];
            Arrays.fill(gw, 0);
            Gemm.mulAddTransposed(x, g, gw, rows, in, out);
            for (int o = 0; o < out; o++) {
                int wb = off[0] + o * cols + skip;
                for (int k = 0; k < in; k++) {
                    gTheta[wb + k] += gw[k * out + o];
                }
            }
            if (gz != null) {
                for (int i = 0; i < n; i++) {
                    int gb = i * (m + 1) * out;
                    int zb = i * in;
                    for (int o = 0; o < out; o++) {
                        double a = g[gb + o];
                        int wb = off[0] + o * cols + skip;
                        for (int k = 0; k < in; k++) {
                            gz[zb + k] += a * theta[wb + k];
                        }
                    }
                }
            } else {
                Gemm.mul(g, wc[l], gPrev, rows, out, in);
            }
            return gt;
        }

        @Override
        public void jvp(double t, double[] theta, double[] z, int n, double[] dz, double[] out) {
            int d = widths[0];
            forward(t, theta, z, n, new Probe(1, dz), new double[n * d], null);
            double[] res = pre[widths.length - 2];
            for (int i = 0; i < n; i++) {
                System.arraycopy(res, (2 * i + 1) * d, out, i * d, d);
            }
        }
    }

}
