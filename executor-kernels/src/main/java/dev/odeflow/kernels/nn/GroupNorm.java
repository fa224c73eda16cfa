package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.GroupNorm(groups, channels, eps=1e-5, affine=True)} on channels-last maps: per example, the
 * channels fall into {@code groups} runs of channels/groups consecutive channels, and each run is normalized over
 * its h·w·(channels/groups) values by their mean μ and biased variance σ², y = (x − μ)/√(σ² + eps)·γ_c + β_c.
 * Tensors {@code <name>.weight} (γ, channels) and {@code <name>.bias} (β, channels), initialized to 1 and 0.
 * {@link #torch} is odenet_mnist.py's {@code norm(dim)}.
 */
public final class GroupNorm implements Layer {

    private static final long serialVersionUID = 1L;

    /** PyTorch's default eps. */
    public static final double EPS = 1e-5;

    private final String name;
    private final int groups;
    private final MapShape shape;

    public GroupNorm(String name, int groups, MapShape shape) {
        if (name == null || shape == null) {
            throw new IllegalArgumentException("a group norm needs a name and a shape");
        }
        if (groups < 1 || shape.channels() % groups != 0) {
            throw new IllegalArgumentException("a group norm's " + groups + " groups must divide its "
                    + shape.channels() + " channels (shape " + shape + ")");
        }
        this.name = name;
        this.groups = groups;
        this.shape = shape;
    }

    /** odenet_mnist.py's {@code norm(dim)}: {@code nn.GroupNorm(min(32, dim), dim)}. */
    public static GroupNorm torch(String name, MapShape shape) {
        if (shape == null) {
            throw new IllegalArgumentException("a group norm needs a shape");
        }
        return new GroupNorm(name, Math.min(32, shape.channels()), shape);
    }

    public int groups() {
        return groups;
    }

    @Override
    public MapShape in() {
        return shape;
    }

    @Override
    public MapShape out() {
        return shape;
    }

    @Override
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        b.add(name + ".weight", shape.channels());
        b.add(name + ".bias", shape.channels());
        return b.build();
    }

    @Override
    public int size() {
        return 2 * shape.channels();
    }

    /** PyTorch's default: γ = 1, β = 0 (draws nothing from rng). */
    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
        int c = shape.channels();
        Arrays.fill(theta, offset, offset + c, 1);
        Arrays.fill(theta, offset + c, offset + 2 * c, 0);
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        Layers.checkPass(theta, offset, size(), n);
        return new Pass(theta, offset, n);
    }

    @Override
    public String toString() {
        return name + " group norm " + groups + " groups of " + shape;
    }

    private final class Pass implements Layer.Pass {
        private final int n;
        private final int channels = shape.channels();
        private final int positions = shape.positions();
        /** The group of each channel. */
        private final int[] groupOf = new int[shape.channels()];
        /** Values per group and example: h·w·(c/groups). */
        private final double count = (double) shape.positions() * (shape.channels() / groups);
        private final double[] gamma;
        private final double[] beta;
        /** (x − μ)/√(σ² + eps) of the last forward (n×size). */
        private final double[] xhat;
        /** 1/√(σ² + eps) per example and group (n×groups). */
        private final double[] rstd;
        private final double[] y;
        private final double[] dx;
        /**
         * Per-group sums of one example, built from per-channel sums (c1, c2: each channel's sum over the
         * positions in ascending order, then a group's channels in ascending order), and per-channel copies of the
         * group's statistics; per-channel gradient sums of one reverse.
         */
        private final double[] s1 = new double[groups];
        private final double[] s2 = new double[groups];
        private final double[] c1 = new double[shape.channels()];
        private final double[] c2 = new double[shape.channels()];
        private final double[] mean = new double[shape.channels()];
        private final double[] scale = new double[shape.channels()];
        private final double[] rstdOf = new double[shape.channels()];
        private final double[] dGamma;
        private final double[] dBeta;

        Pass(double[] theta, int offset, int n) {
            this.n = n;
            gamma = Arrays.copyOfRange(theta, offset, offset + channels);
            beta = Arrays.copyOfRange(theta, offset + channels, offset + 2 * channels);
            int len = Math.multiplyExact(n, shape.size());
            xhat = new double[len];
            y = new double[len];
            dx = new double[len];
            rstd = new double[n * groups];
            dGamma = new double[channels];
            dBeta = new double[channels];
            for (int c = 0; c < channels; c++) {
                groupOf[c] = c / (channels / groups);
            }
        }

        @Override
        public double[] forward(double[] x, double t) {
            if (x.length < y.length) {
                throw new IllegalArgumentException("a group norm on " + n + " examples of " + shape + " needs "
                        + y.length + " inputs, got " + x.length);
            }
            for (int e = 0; e < n; e++) {
                int base = e * positions * channels;
                int end = base + positions * channels;
                Arrays.fill(c1, 0);
                for (int p = base; p < end; p += channels) {
                    for (int c = 0; c < channels; c++) {
                        c1[c] += x[p + c];
                    }
                }
                byGroup(c1, s1);
                for (int gr = 0; gr < groups; gr++) {
                    s1[gr] /= count; // the mean
                }
                for (int c = 0; c < channels; c++) {
                    mean[c] = s1[groupOf[c]];
                }
                Arrays.fill(c1, 0);
                for (int p = base; p < end; p += channels) {
                    for (int c = 0; c < channels; c++) {
                        double d = x[p + c] - mean[c];
                        c1[c] += d * d;
                    }
                }
                byGroup(c1, s2);
                for (int gr = 0; gr < groups; gr++) {
                    s2[gr] = 1 / Math.sqrt(s2[gr] / count + EPS);
                    rstd[e * groups + gr] = s2[gr];
                }
                for (int c = 0; c < channels; c++) {
                    scale[c] = s2[groupOf[c]];
                }
                for (int p = base; p < end; p += channels) {
                    for (int c = 0; c < channels; c++) {
                        double v = (x[p + c] - mean[c]) * scale[c];
                        xhat[p + c] = v;
                        y[p + c] = v * gamma[c] + beta[c];
                    }
                }
            }
            return y;
        }

        /**
         * dγ_c = Σ dy·x̂, dβ_c = Σ dy over examples and positions; with dx̂ = dy·γ, per group
         * dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))/√(σ² + eps).
         */
        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            Arrays.fill(dGamma, 0);
            Arrays.fill(dBeta, 0);
            for (int e = 0; e < n; e++) {
                int base = e * positions * channels;
                int end = base + positions * channels;
                Arrays.fill(c1, 0);
                Arrays.fill(c2, 0);
                for (int p = base; p < end; p += channels) {
                    for (int c = 0; c < channels; c++) {
                        double dy = dOut[p + c];
                        double xh = xhat[p + c];
                        dGamma[c] += dy * xh;
                        dBeta[c] += dy;
                        double d = dy * gamma[c];
                        c1[c] += d;
                        c2[c] += d * xh;
                    }
                }
                byGroup(c1, s1);
                byGroup(c2, s2);
                for (int c = 0; c < channels; c++) {
                    int gr = groupOf[c];
                    mean[c] = s1[gr] / count;
                    scale[c] = s2[gr] / count;
                    rstdOf[c] = rstd[e * groups + gr];
                }
                for (int p = base; p < end; p += channels) {
                    for (int c = 0; c < channels; c++) {
                        dx[p + c] = (dOut[p + c] * gamma[c] - mean[c] - xhat[p + c] * scale[c]) * rstdOf[c];
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                g[gOffset + c] += dGamma[c];
                g[gOffset + channels + c] += dBeta[c];
            }
            return dx;
        }

        /** s[group] = Σ perChannel[c] over the group's channels, c ascending. */
        private void byGroup(double[] perChannel, double[] s) {
            Arrays.fill(s, 0);
            for (int c = 0; c < channels; c++) {
                s[groupOf[c]] += perChannel[c];
            }
        }

        @Override
        public long keptBytes() {
            return 8L * (xhat.length + rstd.length);
        }
    }
}
