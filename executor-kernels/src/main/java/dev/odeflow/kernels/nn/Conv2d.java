package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.dynamics.Precision;

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
 * to match channels-last, and convolves with one product against the weight as a (k·k·cin')×out matrix
 * ({@link Operand}, in the layer's {@link Precision}); the reverse takes the weight gradient from that matrix,
 * overwrites it with dOut·W and scatters it back onto the input (col2im), so a pass holds one such matrix (a second
 * reverse of the same forward lays the fields out again). A 1×1, stride-1, unpadded convolution without a time
 * channel copies the input as its im2col matrix.
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
    private final Precision precision;

    /** A convolution whose products run in double. */
    public Conv2d(String name, MapShape in, int outChannels, int kernel, int stride, int padding, boolean bias,
                  boolean timeChannel) {
        this(name, in, outChannels, kernel, stride, padding, bias, timeChannel, Precision.FLOAT64);
    }

    /** A convolution whose products (im2col matrix, weight and their products) run in {@code precision}. */
    public Conv2d(String name, MapShape in, int outChannels, int kernel, int stride, int padding, boolean bias,
                  boolean timeChannel, Precision precision) {
        if (name == null || in == null) {
            throw new IllegalArgumentException("a convolution needs a name and an input shape");
        }
        if (precision == null) {
            throw new IllegalArgumentException("a convolution needs a precision");
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
        this.precision = precision;
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

    public Precision precision() {
        return precision;
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
                + padding + " " + in + "→" + out + (bias ? "" : " no bias")
                + (precision == Precision.FLOAT64 ? "" : " " + precision.label());
    }

    private final class Pass implements Layer.Pass {
        private final int n;
        /** Output positions over the batch: the rows of the im2col matrix. */
        private final int rows;
        /** Whether the input itself is the im2col matrix (1×1, stride 1, no padding, no time channel). */
        private final boolean direct;
        private final double[] b;
        /**
         * The im2col matrix (rows×taps) of the last forward with the weight as a (k·k·cin')×out matrix, rows in
         * (kh, kw, c) order; the reverse overwrites it with dOut·Wᵀ.
         */
        private final Operand col;
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
            double[] wCols = new double[taps * outs];
            for (int o = 0; o < outs; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int kh = 0; kh < kernel; kh++) {
                        for (int kw = 0; kw < kernel; kw++) {
                            double v = theta[offset + ((o * cin + c) * kernel + kh) * kernel + kw];
                            wCols[((kh * kernel + kw) * cin + c) * outs + o] = v;
                        }
                    }
                }
            }
            b = bias ? Arrays.copyOfRange(theta, offset + weights, offset + weights + outs) : null;
            col = Operand.of(precision, wCols, rows, taps, outs);
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
            im2col(input, time);
            fresh = true;
            col.forward(y);
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
            if (direct) {
                col.copy(input, 0, 0, rows * taps);
                return;
            }
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
                                    col.zero(at, cin);
                                    continue;
                                }
                                if (timeChannel) {
                                    col.put(at, time);
                                }
                                col.copy(input, (image + ih * w + iw) * c0, at + first, c0);
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
            if (!fresh) {
                im2col(x, t); // a second reverse of the same forward: the first overwrote the receptive fields
            }
            col.weightGradient(dOut, gw);
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
            fresh = false;
            col.backward(dOut); // col now holds ∂L/∂col
            col2im();
            return dx;
        }

        /** dx = the sum of col's entries over the taps that read each input; the time columns' sum is ∂L/∂t. */
        private void col2im() {
            if (direct) {
                Arrays.fill(dx, 0);
                col.addTo(0, dx, 0, rows * taps);
                timeGradient = 0;
                return;
            }
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
                                    dt += col.get(at);
                                }
                                col.addTo(at + first, dx, (image + ih * w + iw) * c0, c0);
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
            return col.bytes();
        }
    }
}
