package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.List;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool2d((1, 1))} followed by {@code Flatten}: each channel's mean over the h·w
 * positions, an h×w×c map to a vector of c features. No parameters.
 */
public final class GlobalAveragePool implements Layer {

    private static final long serialVersionUID = 1L;

    private final MapShape in;

    public GlobalAveragePool(MapShape in) {
        if (in == null) {
            throw new IllegalArgumentException("a global average pool needs an input shape");
        }
        this.in = in;
    }

    @Override
    public MapShape in() {
        return in;
    }

    @Override
    public MapShape out() {
        return MapShape.vector(in.channels());
    }

    @Override
    public ParameterLayout layout() {
        return new ParameterLayout(List.of());
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public void initialize(double[] theta, int offset, SplittableRandom rng) {
    }

    @Override
    public Layer.Pass pass(double[] theta, int offset, int n) {
        Layers.checkPass(theta, offset, 0, n);
        return new Pass(n);
    }

    @Override
    public String toString() {
        return "global average pool " + in + "→" + in.channels();
    }

    private final class Pass implements Layer.Pass {
        private final int n;
        private final int channels = in.channels();
        private final int positions = in.positions();
        private final double[] y;
        private final double[] dx;

        Pass(int n) {
            this.n = n;
            y = new double[n * channels];
            dx = new double[Math.multiplyExact(n, in.size())];
        }

        @Override
        public double[] forward(double[] x, double t) {
            if (x.length < dx.length) {
                throw new IllegalArgumentException("a pool on " + n + " examples of " + in + " needs " + dx.length
                        + " inputs, got " + x.length);
            }
            for (int e = 0; e < n; e++) {
                int at = e * channels;
                int from = e * positions * channels;
                for (int c = 0; c < channels; c++) {
                    y[at + c] = 0;
                }
                for (int p = 0; p < positions; p++, from += channels) {
                    for (int c = 0; c < channels; c++) {
                        y[at + c] += x[from + c];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    y[at + c] /= positions;
                }
            }
            return y;
        }

        @Override
        public double[] backward(double[] dOut, double[] g, int gOffset) {
            for (int e = 0; e < n; e++) {
                int at = e * channels;
                int to = e * positions * channels;
                for (int p = 0; p < positions; p++, to += channels) {
                    for (int c = 0; c < channels; c++) {
                        dx[to + c] = dOut[at + c] / positions;
                    }
                }
            }
            return dx;
        }

        @Override
        public long keptBytes() {
            return 0;
        }
    }
}
