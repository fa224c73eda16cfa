package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.Gemm;
import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Conv2d(cin, out, k, stride, padding, bias)} with a square kernel and zero padding, on
 * channels-last maps: {@code <name>.weight} (out×cin'×k×k, PyTorch's [o][c][kh][kw] layout) and, with a bias,
 * {@code <name>.bias} (out). The output is ⌊(H + 2p − k)/s⌋ + 1 high and as wide by the same rule.
 *
 * <p>With a time channel it is torchdiffeq's {@code ConcatConv2d}: the input gets a first channel holding the
 * constant t ({@code torch.cat([tt, x], 1)}, so weight channel 0 is the time channel and cin' = cin + 1), zero in
 * the padding like every other channel, and {@link Layer.Pass#timeGradient()} gives ∂L/∂t.
 *
 * <p>A pass lays the n·Ho·Wo receptive fields out as the rows of one im2col matrix, columns in (kh, kw, c) order
 * to match channels-last, and convolves with one {@link Gemm#mul} against the weight as a (k·k·cin')×out matrix;
 * the reverse takes the weight gradient from that matrix ({@link Gemm#mulAddTransposed}), overwrites it with
 * dOut·W and scatters it back onto the input (col2im), so a pass holds one such matrix (a second reverse of the
 * same forward lays the fields out again). A 1×1, stride-1, unpadded convolution without a time
 * channel reads the input as its own im2col matrix.
 */
public final class Conv2d implements Layer {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final MapShape in;
    private final MapShape out;
    private final int outs;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean bias;
    private final boolean timeChannel;
    /** Channels the kernel reads: the input's, plus the time channel. */
    private final int cin;
    /** Columns of the im2col matrix: k·k·cin'. */
    private final int taps;
    /** Entries of the weight: out·cin'·k·k. */
    private final int weights;

    public Conv2d(String name, MapShape in, int outChannels, int kernel, int stride, int padding, boolean bias,
                  boolean timeChannel) {
        if (name == null || in == null) {
            throw new IllegalArgumentException("a convolution needs a name and an input shape");
        }
        if (outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("a convolution needs out channels, kernel and stride >= 1 and "
                    + "padding >= 0, got out " + outChannels + ", kernel " + kernel + ", stride " + stride
                    + ", padding " + padding);
        }
        long ho = Math.floorDiv((long) in.height() + 2L * padding - kernel, stride) + 1;
        long wo = Math.floorDiv((long) in.width() + 2L * padding - kernel, stride) + 1;
        if (ho < 1 || wo < 1) {
            throw new IllegalArgumentException("a " + kernel + "×" + kernel + " convolution with stride " + stride
                    + " and padding " + padding + " on a " + in + " map would give an output of " + ho + "×" + wo);
        }
        this.name = name;
        this.in = in;
        this.outs = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.bias = bias;
        this.timeChannel = timeChannel;
        this.cin = in.channels() + (timeChannel ? 1 : 0);
        this.taps = Math.multiplyExact(kernel * kernel, cin);
        this.out = new MapShape((int) ho, (int) wo, outChannels);
        this.weights = Math.multiplyExact(taps, outChannels);
    }

    @Override
    public MapShape in() {
        return in;
    }

    @Override
    public MapShape out() {
        return out;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public boolean hasBias() {
        return bias;
    }

    public boolean hasTimeChannel() {
        return timeChannel;
    }

    @Override
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        b.add(name + ".weight", outs, cin, kernel, kernel);
        if (bias) {
            b.add(name + ".bias", outs);
        }
        return b.build();
    }

    @Override
    public int size() {
        return weights + (bias ? outs : 0);
    }

    /**
     * PyTorch's default (kaiming_uniform with a = √5): weight and bias U(−1/√fan_in, 1/√fan_in), fan_in =
     * cin'·k·k, in layout order.
     */
    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        double bound = 1 / Math.sqrt(taps);
        for (int i = 0; i < size(); i++) {
            theta[offset + i] = (2 * rng.nextDouble() - 1) * bound;
        }
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        Layers.checkPass(theta, offset, size(), n);
        return new Pass(theta, offset, n);
    }

    @Override
    public String toString() {
        return name + (timeChannel ? " concat-conv " : " conv ") + kernel + "×" + kernel + "/" + stride + " pad "
                + padding + " " + in + "→" + out + (bias ? "" : " no bias");
    }

    private final class Pass implements Layer.Pass {
        private final int n;
        /** Output positions over the batch: the rows of the im2col matrix. */
        private final int rows;
        /** Whether the input itself is the im2col matrix (1×1, stride 1, no padding, no time channel). */
        private final boolean direct;
        /** The weight as a (k·k·cin')×out matrix, rows in (kh, kw, c) order, for the forward product. */
        private final double[] wCols;
        /** The weight as an out×(k·k·cin') matrix, columns in (kh, kw, c) order, for the reverse product. */
        private final double[] wRows;
        private final double[] b;
        /** The im2col matrix of the last forward (rows×taps), overwritten by dOut·W in the reverse; null when direct. */
        private final double[] col;
        private final double[] y;
        private final double[] dx;
        private final double[] gw;
        private double[] x;
        /** Whether col holds the last forward's receptive fields (the reverse overwrites them). */
        private boolean fresh;
        private double t;
        private double timeGradient;

        Pass(double[] theta, int offset, int n) {
            this.n = n;
            rows = Math.multiplyExact(n, out.positions());
            direct = kernel == 1 && stride == 1 && padding == 0 && !timeChannel;
            wCols = new double[taps * outs];
            wRows = new double[outs * taps];
            for (int o = 0; o < outs; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int kh = 0; kh < kernel; kh++) {
                        for (int kw = 0; kw < kernel; kw++) {
                            double v = theta[offset + ((o * cin + c) * kernel + kh) * kernel + kw];
                            int j = (kh * kernel + kw) * cin + c;
                            wCols[j * outs + o] = v;
                            wRows[o * taps + j] = v;
                        }
                    }
                }
            }
            b = bias ? Arrays.copyOfRange(theta, offset + weights, offset + weights + outs) : null;
            col = direct ? null : new double[Math.multiplyExact(rows, taps)];
            y = new double[Math.multiplyExact(rows, outs)];
            dx = new double[Math.multiplyExact(n, in.size())];
            gw = new double[taps * outs];
        }

        @Override
        public double[] forward(double[] input, double time) {
            if (input.length < dx.length) {
                throw new IllegalArgumentException("a convolution on " + n + " examples of " + in + " needs "
                        + dx.length + " inputs, got " + input.length);
            }
            x = input;
            t = time;
            if (direct) {
                Gemm.mul(input, wCols, y, rows, taps, outs);
            } else {
                im2col(input, time);
                fresh = true;
                Gemm.mul(col, wCols, y, rows, taps, outs);
            }
            if (bias) {
                for (int r = 0; r < rows; r++) {
                    int at = r * outs;
                    for (int o = 0; o < outs; o++) {
                        y[at + o] += b[o];
                    }
                }
            }
            return y;
        }

        /** Row (e, oh, ow) of col: for each tap (kh, kw), the cin' channels there (t first), zeros in the padding. */
        private void im2col(double[] input, double time) {
            int h = in.height();
            int w = in.width();
            int c0 = in.channels();
            int first = timeChannel ? 1 : 0;
            int r = 0;
            for (int e = 0; e < n; e++) {
                int image = e * h * w;
                for (int oh = 0; oh < out.height(); oh++) {
                    for (int ow = 0; ow < out.width(); ow++, r++) {
                        int at = r * taps;
                        for (int kh = 0; kh < kernel; kh++) {
                            int ih = oh * stride - padding + kh;
                            for (int kw = 0; kw < kernel; kw++, at += cin) {
                                int iw = ow * stride - padding + kw;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                    Arrays.fill(col, at, at + cin, 0);
                                    continue;
                                }
                                if (timeChannel) {
                                    col[at] = time;
                                }
                                System.arraycopy(input, (image + ih * w + iw) * c0, col, at + first, c0);
                            }
                        }
                    }
                }
            }
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            if (x == null) {
                throw new IllegalStateException("a convolution's reverse needs a forward before it");
            }
            if (!direct && !fresh) {
                im2col(x, t); // a second reverse of the same forward: the first overwrote the receptive fields
            }
            Arrays.fill(gw, 0);
            Gemm.mulAddTransposed(direct ? x : col, dOut, gw, rows, taps, outs);
            for (int o = 0; o < outs; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int kh = 0; kh < kernel; kh++) {
                        for (int kw = 0; kw < kernel; kw++) {
                            g[gOffset + ((o * cin + c) * kernel + kh) * kernel + kw] +=
                                    gw[((kh * kernel + kw) * cin + c) * outs + o];
                        }
                    }
                }
            }
            if (bias) {
                Layers.addColumnSums(dOut, rows, outs, g, gOffset + weights);
            }
            if (direct) {
                Gemm.mul(dOut, wRows, dx, rows, outs, taps);
                return dx;
            }
            fresh = false;
            Gemm.mul(dOut, wRows, col, rows, outs, taps); // col now holds ∂L/∂col
            col2im();
            return dx;
        }

        /** dx = the sum of col's entries over the taps that read each input; the time columns' sum is ∂L/∂t. */
        private void col2im() {
            Arrays.fill(dx, 0);
            int h = in.height();
            int w = in.width();
            int c0 = in.channels();
            int first = timeChannel ? 1 : 0;
            double dt = 0;
            int r = 0;
            for (int e = 0; e < n; e++) {
                int image = e * h * w;
                for (int oh = 0; oh < out.height(); oh++) {
                    for (int ow = 0; ow < out.width(); ow++, r++) {
                        int at = r * taps;
                        for (int kh = 0; kh < kernel; kh++) {
                            int ih = oh * stride - padding + kh;
                            for (int kw = 0; kw < kernel; kw++, at += cin) {
                                int iw = ow * stride - padding + kw;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                    continue;
                                }
                                if (timeChannel) {
                                    dt += col[at];
                                }
                                int to = (image + ih * w + iw) * c0;
                                int from = at + first;
                                for (int c = 0; c < c0; c++) {
                                    dx[to + c] += col[from + c];
                                }
                            }
                        }
                    }
                }
            }
            timeGradient = dt;
        }

        @Override
        public double timeGradient() {
            return timeGradient;
        }

        @Override
        public long keptBytes() {
            return direct ? 0 : 8L * col.length; // the direct product keeps only the input, which the layer before owns
        }
    }
}
