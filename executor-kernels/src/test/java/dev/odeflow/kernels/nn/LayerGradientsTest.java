package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reverse passes of the pooling, linear, ReLU, sequential and residual layers against finite differences
 * ({@link LayerGradientCheck}), their forwards, and the check itself catching a wrong reverse.
 */
class LayerGradientsTest {

    private static final MapShape SMALL = new MapShape(7, 6, 3);

    @Test
    void globalAveragePoolIsEachChannelsMean() {
        GlobalAveragePool pool = new GlobalAveragePool(SMALL);
        assertEquals(MapShape.vector(3), pool.out());
        assertEquals(0, pool.size());
        assertTrue(pool.layout().tensors().isEmpty());
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = LayerGradientCheck.uniform(2 * SMALL.size(), rng);
        double[] y = pool.pass(new double[0], 0, 2).forward(x, 0);
        for (int e = 0; e < 2; e++) {
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int p = 0; p < 42; p++) {
                    s += x[(e * 42 + p) * 3 + c];
                }
                assertEquals(s / 42, y[e * 3 + c], 1e-15);
            }
        }
        LayerGradientCheck.check(pool, 2, 31);
        assertThrows(IllegalArgumentException.class, () -> new GlobalAveragePool(null));
    }

    @Test
    void linearReverseMatchesFiniteDifferences() {
        LayerGradientCheck.check(new Linear("fc", MapShape.vector(5), 4), 3, 41);
        LayerGradientCheck.check(new Linear("fc", new MapShape(4, 3, 1), 2), 2, 42);
    }

    @Test
    void reluReverseMatchesFiniteDifferencesAwayFromTheKink() {
        Relu relu = new Relu(SMALL);
        SplittableRandom rng = new SplittableRandom(51);
        double[] x = LayerGradientCheck.uniform(2 * SMALL.size(), rng);
        for (int i = 0; i < x.length; i++) {
            x[i] += Math.signum(x[i]) * 0.05; // |x| > 0.05 ≫ the step
        }
        LayerGradientCheck.check(relu, new double[0], x, 2, 0.2, rng);
    }

    /** torchdiffeq's ODEfunc: norm, relu, concat-conv, norm, relu, concat-conv, norm. */
    private static Sequential odefunc(MapShape s) {
        return new Sequential(List.of(
                GroupNorm.torch("norm1", s), new Relu(s),
                new Conv2d("conv1", s, s.channels(), 3, 1, 1, false, true),
                GroupNorm.torch("norm2", s), new Relu(s),
                new Conv2d("conv2", s, s.channels(), 3, 1, 1, false, true),
                GroupNorm.torch("norm3", s)));
    }

    @Test
    void sequentialReverseMatchesFiniteDifferencesWithTimeInTwoLayers() {
        MapShape s = new MapShape(5, 4, 4);
        Sequential f = odefunc(s);
        assertEquals(List.of("norm1.weight", "norm1.bias", "conv1.weight", "norm2.weight", "norm2.bias",
                "conv2.weight", "norm3.weight", "norm3.bias"), f.layout().names());
        assertEquals(3 * 8 + 2 * 4 * 5 * 9, f.size());
        SplittableRandom rng = new SplittableRandom(61);
        double dt = LayerGradientCheck.check(f, LayerGradientCheck.parameters(f, rng),
                LayerGradientCheck.uniform(2 * s.size(), rng), 2, 0.3, rng);
        assertTrue(Math.abs(dt) > 1e-3, "∂L/∂t = " + dt);

        // a small image classifier end to end: conv, norm, relu, downsampling conv, pool, linear
        MapShape in = new MapShape(8, 7, 1);
        Conv2d c1 = new Conv2d("0", in, 4, 3, 1, 0, true, false);
        GroupNorm n1 = GroupNorm.torch("1", c1.out());
        Relu r1 = new Relu(c1.out());
        Conv2d c2 = new Conv2d("3", c1.out(), 4, 4, 2, 1, true, false);
        GlobalAveragePool pool = new GlobalAveragePool(c2.out());
        Linear fc = new Linear("fc", pool.out(), 3);
        LayerGradientCheck.check(new Sequential(List.of(c1, n1, r1, c2, pool, fc)), 2, 62);
    }

    @Test
    void residualReverseMatchesFiniteDifferences() {
        MapShape s = new MapShape(5, 4, 4);
        Conv2d conv = new Conv2d("c", s, 4, 3, 1, 1, true, true);
        Residual res = new Residual(conv);
        SplittableRandom rng = new SplittableRandom(71);
        double[] theta = LayerGradientCheck.parameters(res, rng);
        double[] x = LayerGradientCheck.uniform(2 * s.size(), rng);
        double[] inner = conv.pass(theta, 0, 2).forward(x, 0.5).clone();
        double[] y = res.pass(theta, 0, 2).forward(x, 0.5);
        for (int i = 0; i < y.length; i++) {
            assertEquals(x[i] + inner[i], y[i], 0.0);
        }
        LayerGradientCheck.check(res, theta, x, 2, 0.5, rng);
        LayerGradientCheck.check(new Residual(odefunc(s)), 2, 72);
    }

    @Test
    void theCheckCatchesAWrongReverse() {
        Linear good = new Linear("fc", MapShape.vector(5), 4);
        // drops a thousandth of one parameter's gradient
        Layer badParameter = new Skewed(good, 7, 1e-3, false);
        assertThrows(AssertionError.class, () -> LayerGradientCheck.check(badParameter, 3, 41));
        // writes the gradient instead of adding it
        Layer overwrites = new Skewed(good, 7, 0, true);
        assertThrows(AssertionError.class, () -> LayerGradientCheck.check(overwrites, 3, 41));
        LayerGradientCheck.check(new Skewed(good, 7, 0, false), 3, 41);
    }

    /** A layer whose reverse scales one parameter's gradient by 1 − skew, or sets g instead of adding. */
    private record Skewed(Layer inner, int index, double skew, boolean overwrite) implements Layer {
        @Override
        public MapShape in() {
            return inner.in();
        }

        @Override
        public MapShape out() {
            return inner.out();
        }

        @Override
        public ParameterLayout layout() {
            return inner.layout();
        }

        @Override
        public void initialize(double[] theta, int offset, SplittableRandom rng) {
            inner.initialize(theta, offset, rng);
        }

        @Override
        public Layer.Pass pass(double[] theta, int offset, int n) {
            Layer.Pass p = inner.pass(theta, offset, n);
            return new Layer.Pass() {
                @Override
                public double[] forward(double[] x, double t) {
                    return p.forward(x, t);
                }

                @Override
                public double[] backward(double[] dOut, double[] g, int gOffset) {
                    double[] own = new double[g.length];
                    double[] dx = p.backward(dOut, own, gOffset);
                    for (int i = 0; i < size(); i++) {
                        double v = own[gOffset + i] * (i == index ? 1 - skew : 1);
                        g[gOffset + i] = overwrite ? v : g[gOffset + i] + v;
                    }
                    return dx;
                }

                @Override
                public long keptBytes() {
                    return p.keptBytes();
                }
            };
        }
    }

    @Test
    void theImageLayersSerializeAndStillComputeTheSame() throws Exception {
        MapShape s = new MapShape(5, 4, 4);
        Sequential net = new Sequential(List.of(new Conv2d("c", s, 4, 3, 1, 1, true, true), GroupNorm.torch("n", s),
                new Relu(s), new GlobalAveragePool(s)));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(net);
        }
        Layer copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Layer) in.readObject();
        }
        SplittableRandom rng = new SplittableRandom(81);
        double[] theta = LayerGradientCheck.parameters(net, rng);
        double[] x = LayerGradientCheck.uniform(2 * s.size(), rng);
        assertEquals(net.layout().names(), copy.layout().names());
        assertArrayEquals(net.pass(theta, 0, 2).forward(x, 0.4), copy.pass(theta, 0, 2).forward(x, 0.4), 0.0);
    }

    @Test
    void layersThatDoNotFitAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(new Relu(SMALL),
                new Conv2d("c", new MapShape(7, 6, 4), 2, 3, 1, 0, true, false))));
        assertThrows(IllegalArgumentException.class, () -> new Residual(new Conv2d("c", SMALL, 3, 3, 1, 0, true,
                false)));
        assertThrows(IllegalArgumentException.class, () -> new Linear("fc", SMALL, 3));
        assertArrayEquals(new int[] {3, 7 * 6}, new Linear("fc", new MapShape(7, 6, 1), 3).layout().get("fc.weight")
                .shape());
    }
}
