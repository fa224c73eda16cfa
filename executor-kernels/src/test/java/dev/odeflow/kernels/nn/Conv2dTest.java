package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.Precision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conv2d and ConcatConv2d: the forward against PyTorch's definition written as a direct loop in NCHW indexing,
 * the reverse against finite differences, the tensors' names, shapes and initialization, and the refusals.
 */
class Conv2dTest {

    private static final MapShape SMALL = new MapShape(7, 6, 3);

    /** The configurations the brief names, plus the 1×1 stride-1 one that skips im2col. */
    private static List<Conv2d> configurations() {
        return List.of(
                new Conv2d("c33", SMALL, 4, 3, 1, 0, true, false),
                new Conv2d("c42", SMALL, 4, 4, 2, 1, true, false),
                new Conv2d("t31", SMALL, 4, 3, 1, 1, true, true),
                new Conv2d("n31", SMALL, 4, 3, 1, 1, false, false),
                new Conv2d("p12", SMALL, 5, 1, 2, 0, false, false),
                new Conv2d("d11", SMALL, 5, 1, 1, 0, true, false),
                new Conv2d("t42", SMALL, 3, 4, 2, 1, false, true));
    }

    /**
     * PyTorch's Conv2d in NCHW indexing: out[e][o][i][j] = b[o] + Σ_c Σ_kh Σ_kw W[o][c][kh][kw]·in[e][c][i·s − p +
     * kh][j·s − p + kw], zero outside the map, where in[e][0] = t when there is a time channel (then the input's
     * channels follow). Returns out in NCHW order.
     */
    private static double[] naive(Conv2d conv, double[] theta, double[] xNhwc, int n, double t) {
        int h = conv.in().height();
        int w = conv.in().width();
        int c0 = conv.in().channels();
        int cin = c0 + (conv.hasTimeChannel() ? 1 : 0);
        int ho = conv.out().height();
        int wo = conv.out().width();
        int outs = conv.out().channels();
        int k = conv.kernel();
        double[][][][] input = new double[n][cin][h][w];
        for (int e = 0; e < n; e++) {
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        if (conv.hasTimeChannel() && c == 0) {
                            input[e][c][i][j] = t;
                        } else {
                            int src = c - (cin - c0);
                            input[e][c][i][j] = xNhwc[((e * h + i) * w + j) * c0 + src];
                        }
                    }
                }
            }
        }
        double[] out = new double[n * outs * ho * wo];
        for (int e = 0; e < n; e++) {
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        double s = conv.hasBias() ? theta[outs * cin * k * k + o] : 0;
                        for (int c = 0; c < cin; c++) {
                            for (int kh = 0; kh < k; kh++) {
                                for (int kw = 0; kw < k; kw++) {
                                    int ih = i * conv.stride() - conv.padding() + kh;
                                    int iw = j * conv.stride() - conv.padding() + kw;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                        s += theta[((o * cin + c) * k + kh) * k + kw] * input[e][c][ih][iw];
                                    }
                                }
                            }
                        }
                        out[((e * outs + o) * ho + i) * wo + j] = s;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void forwardMatchesPytorchsDefinitionInEveryConfiguration() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 2;
        for (Conv2d conv : configurations()) {
            double[] theta = LayerGradientCheck.parameters(conv, rng);
            double[] x = LayerGradientCheck.uniform(n * SMALL.size(), rng);
            double t = 0.37;
            double[] y = conv.pass(theta, 0, n).forward(x, t);
            double[] expected = naive(conv, theta, x, n, t);
            MapShape o = conv.out();
            assertEquals(n * o.size(), y.length);
            for (int e = 0; e < n; e++) {
                for (int c = 0; c < o.channels(); c++) {
                    for (int i = 0; i < o.height(); i++) {
                        for (int j = 0; j < o.width(); j++) {
                            assertEquals(expected[((e * o.channels() + c) * o.height() + i) * o.width() + j],
                                    y[((e * o.height() + i) * o.width() + j) * o.channels() + c], 1e-12,
                                    conv + " at example " + e + ", channel " + c + ", (" + i + ", " + j + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void outputShapesFollowPytorchsFormula() {
        assertEquals(new MapShape(5, 4, 4), configurations().get(0).out());
        assertEquals(new MapShape(3, 3, 4), configurations().get(1).out()); // ⌊(7 + 2 − 4)/2⌋ + 1, ⌊(6 + 2 − 4)/2⌋ + 1
        assertEquals(new MapShape(7, 6, 4), configurations().get(2).out());
        assertEquals(new MapShape(4, 3, 5), configurations().get(4).out());
        MapShape mnist = new MapShape(28, 28, 1);
        Conv2d first = new Conv2d("0", mnist, 64, 3, 1, 0, true, false);
        assertEquals(new MapShape(26, 26, 64), first.out());
        Conv2d down = new Conv2d("3", first.out(), 64, 4, 2, 1, true, false);
        assertEquals(new MapShape(13, 13, 64), down.out());
        assertEquals(new MapShape(6, 6, 64), new Conv2d("6", down.out(), 64, 4, 2, 1, true, false).out());
    }

    @Test
    void reverseMatchesFiniteDifferencesInEveryConfiguration() {
        long seed = 100;
        for (Conv2d conv : configurations()) {
            LayerGradientCheck.check(conv, 2, seed++);
        }
    }

    @Test
    void theTimeChannelsGradientIsNonzeroAndMatchesFiniteDifferences() {
        Conv2d conv = new Conv2d("t", SMALL, 4, 3, 1, 1, true, true);
        SplittableRandom rng = new SplittableRandom(5);
        double[] theta = LayerGradientCheck.parameters(conv, rng);
        double dt = LayerGradientCheck.check(conv, theta, LayerGradientCheck.uniform(2 * SMALL.size(), rng), 2,
                -0.4, rng);
        assertTrue(Math.abs(dt) > 1e-2, "∂L/∂t = " + dt);
        // without the time channel the same layer ignores t
        Conv2d plain = new Conv2d("p", SMALL, 4, 3, 1, 1, true, false);
        double[] th = LayerGradientCheck.parameters(plain, rng);
        double[] x = LayerGradientCheck.uniform(2 * SMALL.size(), rng);
        Layer.Pass p = plain.pass(th, 0, 2);
        double[] a = p.forward(x, 0.1).clone();
        assertArrayEquals(a, p.forward(x, 5.0), 0.0);
        p.backward(LayerGradientCheck.uniform(a.length, rng), new double[th.length], 0);
        assertEquals(0.0, p.timeGradient(), 0.0);
    }

    @Test
    void timeReachesBordersThroughFewerTaps() {
        // one input channel of zeros, one output channel, all weights 1 and no bias: each output is t times the
        // number of taps inside the image
        MapShape in = new MapShape(4, 5, 1);
        Conv2d conv = new Conv2d("t", in, 1, 3, 1, 1, false, true);
        double[] theta = new double[conv.size()];
        java.util.Arrays.fill(theta, 1);
        double[] y = conv.pass(theta, 0, 1).forward(new double[in.size()], 2.0);
        assertEquals(2.0 * 4, y[0], 0.0); // corner: 2×2 taps
        assertEquals(2.0 * 6, y[1], 0.0); // top edge: 2×3
        assertEquals(2.0 * 9, y[5 + 1], 0.0); // interior
    }

    @Test
    void aSecondReverseOfOneForwardGivesTheSameGradients() {
        Conv2d conv = new Conv2d("t", SMALL, 4, 3, 2, 1, true, true);
        SplittableRandom rng = new SplittableRandom(8);
        double[] theta = LayerGradientCheck.parameters(conv, rng);
        double[] x = LayerGradientCheck.uniform(2 * SMALL.size(), rng);
        double[] v = LayerGradientCheck.uniform(2 * conv.out().size(), rng);
        Layer.Pass p = conv.pass(theta, 0, 2);
        p.forward(x, 0.3);
        double[] g1 = new double[conv.size()];
        double[] dx1 = p.backward(v.clone(), g1, 0).clone();
        double dt1 = p.timeGradient();
        double[] g2 = new double[conv.size()];
        double[] dx2 = p.backward(v.clone(), g2, 0);
        assertArrayEquals(g1, g2, 0.0);
        assertArrayEquals(dx1, dx2, 0.0);
        assertEquals(dt1, p.timeGradient(), 0.0);
    }

    @Test
    void tensorNamesShapesAndCountsAreTorchs() {
        Conv2d first = new Conv2d("0", new MapShape(28, 28, 1), 64, 3, 1, 0, true, false);
        assertEquals(640, first.size());
        List<NamedTensor> t = first.layout().tensors();
        assertEquals(2, t.size());
        assertEquals("0.weight", t.get(0).name());
        assertArrayEquals(new int[] {64, 1, 3, 3}, t.get(0).shape());
        assertEquals(0, t.get(0).offset());
        assertEquals("0.bias", t.get(1).name());
        assertArrayEquals(new int[] {64}, t.get(1).shape());
        assertEquals(576, t.get(1).offset());

        Conv2d concat = new Conv2d("odefunc.conv1", new MapShape(6, 6, 64), 64, 3, 1, 1, true, true);
        assertEquals(64 * 65 * 9 + 64, concat.size());
        assertEquals(37_504, concat.size());
        assertEquals(concat.size(), concat.layout().size());
        assertArrayEquals(new int[] {64, 65, 3, 3}, concat.layout().get("odefunc.conv1.weight").shape());
        assertEquals(new MapShape(6, 6, 64), concat.out());

        Conv2d noBias = new Conv2d("c", SMALL, 5, 1, 2, 0, false, false);
        assertEquals(List.of("c.weight"), noBias.layout().names());
        assertEquals(15, noBias.size());
    }

    @Test
    void initializationIsPytorchsUniformWithinOneOverRootFanIn() {
        Conv2d conv = new Conv2d("c", new MapShape(6, 6, 64), 64, 3, 1, 1, true, true);
        int at = 4;
        double[] theta = new double[at + conv.size() + 3];
        java.util.Arrays.fill(theta, 7.0);
        conv.initialize(theta, at, new SplittableRandom(1));
        double bound = 1 / Math.sqrt(65 * 9);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = at; i < at + conv.size(); i++) {
            assertTrue(Math.abs(theta[i]) <= bound, "θ[" + i + "] = " + theta[i]);
            min = Math.min(min, theta[i]);
            max = Math.max(max, theta[i]);
        }
        assertTrue(max > 0.99 * bound && min < -0.99 * bound, "the draws should fill ±" + bound + ": [" + min + ", "
                + max + "]");
        int bias = at + 64 * 65 * 9;
        assertNotEquals(theta[bias], theta[bias + 1]);
        assertEquals(7.0, theta[at - 1], 0.0);
        assertEquals(7.0, theta[at + conv.size()], 0.0);
        double[] again = new double[at + conv.size() + 3];
        java.util.Arrays.fill(again, 7.0);
        conv.initialize(again, at, new SplittableRandom(1));
        assertArrayEquals(theta, again, 0.0);

        // the first draw is the first weight: U(−b, b) = (2u − 1)·b in layout order, as Linear draws
        Conv2d small = new Conv2d("s", SMALL, 2, 3, 1, 0, false, false);
        double[] s = new double[small.size()];
        small.initialize(s, 0, new SplittableRandom(3));
        SplittableRandom r = new SplittableRandom(3);
        double b = 1 / Math.sqrt(3 * 9);
        for (double v : s) {
            assertEquals((2 * r.nextDouble() - 1) * b, v, 0.0);
        }
    }

    @Test
    void keptBytesIsTheIm2colMatrix() {
        Conv2d conv = new Conv2d("c", SMALL, 4, 4, 2, 1, true, true);
        assertEquals(8L * 3 * 3 * 3 * (16 * 4), conv.pass(new double[conv.size()], 0, 3).keptBytes());
        Conv2d direct = new Conv2d("d", SMALL, 4, 1, 1, 0, true, false);
        assertEquals(8L * 3 * SMALL.size(), direct.pass(new double[direct.size()], 0, 3).keptBytes(),
                "a 1×1 convolution keeps its input's copy");
        Conv2d single = new Conv2d("c", SMALL, 4, 4, 2, 1, true, true, Precision.FLOAT32);
        assertEquals(4L * 3 * 3 * 3 * (16 * 4), single.pass(new double[single.size()], 0, 3).keptBytes(),
                "float32 keeps the im2col matrix in float");
    }

    @Test
    void refusesBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d("c", new MapShape(3, 3, 2), 4, 5, 1, 0, true, false));
        assertTrue(e.getMessage().contains("3×3×2") && e.getMessage().contains("-1×-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d("c", new MapShape(8, 2, 2), 4, 3, 1, 0, true, false));
        assertTrue(e.getMessage().contains("8×2×2") && e.getMessage().contains("6×0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d("c", SMALL, 0, 3, 1, 0, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d("c", SMALL, 4, 0, 1, 0, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d("c", SMALL, 4, 3, 0, 0, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d("c", SMALL, 4, 3, 1, -1, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(null, SMALL, 4, 3, 1, 0, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d("c", null, 4, 3, 1, 0, true, false));
        // a kernel as large as the padded map still fits
        assertEquals(new MapShape(1, 1, 4), new Conv2d("c", new MapShape(3, 3, 2), 4, 5, 1, 1, true, false).out());

        Conv2d conv = new Conv2d("c", SMALL, 4, 3, 1, 0, true, false);
        assertThrows(IllegalArgumentException.class, () -> conv.pass(new double[conv.size() - 1], 0, 2));
        assertThrows(IllegalArgumentException.class, () -> conv.pass(new double[conv.size()], 1, 2));
        assertThrows(IllegalArgumentException.class, () -> conv.pass(new double[conv.size()], 0, 0));
        Layer.Pass p = conv.pass(new double[conv.size()], 0, 2);
        assertThrows(IllegalArgumentException.class, () -> p.forward(new double[SMALL.size()], 0));
        assertThrows(IllegalStateException.class, () -> p.backward(new double[2 * conv.out().size()],
                new double[conv.size()], 0));
    }
}
