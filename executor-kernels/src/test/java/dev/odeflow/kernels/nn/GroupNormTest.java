package dev.odeflow.kernels.nn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GroupNorm: the normalization per example and group, PyTorch's definition, the reverse, names and refusals. */
class GroupNormTest {

    private static final MapShape SHAPE = new MapShape(7, 6, 6);

    /** PyTorch's definition in NCHW indexing, written apart from the layer; returns y in NHWC order. */
    private static double[] naive(int groups, double[] gamma, double[] beta, double[] x, int n, MapShape s) {
        int c0 = s.channels();
        int per = c0 / groups;
        int hw = s.positions();
        double[] y = new double[x.length];
        for (int e = 0; e < n; e++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int c = g * per; c < (g + 1) * per; c++) {
                    for (int p = 0; p < hw; p++) {
                        sum += x[(e * hw + p) * c0 + c];
                    }
                }
                double mean = sum / (per * hw);
                double var = 0;
                for (int c = g * per; c < (g + 1) * per; c++) {
                    for (int p = 0; p < hw; p++) {
                        double d = x[(e * hw + p) * c0 + c] - mean;
                        var += d * d;
                    }
                }
                var /= per * hw;
                for (int c = g * per; c < (g + 1) * per; c++) {
                    for (int p = 0; p < hw; p++) {
                        int i = (e * hw + p) * c0 + c;
                        y[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * gamma[c] + beta[c];
                    }
                }
            }
        }
        return y;
    }

    @Test
    void eachGroupOfTheOutputHasMeanZeroAndVarianceOne() {
        for (int groups : new int[] {1, 2, 3, 6}) {
            GroupNorm norm = new GroupNorm("gn", groups, SHAPE);
            double[] theta = new double[norm.size()];
            norm.initialize(theta, 0, new SplittableRandom(0));
            SplittableRandom rng = new SplittableRandom(groups);
            int n = 3;
            double[] x = new double[n * SHAPE.size()];
            for (int i = 0; i < x.length; i++) {
                // a large spread, so that eps/σ² < 1e-10, and an offset per channel the norm must remove
                x[i] = 1000 * (2 * rng.nextDouble() - 1) + 300 * (i % 6);
            }
            double[] y = norm.pass(theta, 0, n).forward(x, 0);
            int per = 6 / groups;
            for (int e = 0; e < n; e++) {
                for (int g = 0; g < groups; g++) {
                    double s = 0;
                    double q = 0;
                    for (int p = 0; p < SHAPE.positions(); p++) {
                        for (int c = g * per; c < (g + 1) * per; c++) {
                            double v = y[(e * SHAPE.positions() + p) * 6 + c];
                            s += v;
                            q += v * v;
                        }
                    }
                    double m = per * SHAPE.positions();
                    assertEquals(0, s / m, 1e-10, groups + " groups: example " + e + ", group " + g + " mean");
                    assertEquals(1, q / m - (s / m) * (s / m), 1e-10, groups + " groups: example " + e + ", group "
                            + g + " variance");
                }
            }
        }
    }

    @Test
    void forwardMatchesPytorchsDefinition() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 2;
        for (int groups : new int[] {2, 6, 1}) {
            GroupNorm norm = new GroupNorm("gn", groups, SHAPE);
            double[] theta = LayerGradientCheck.parameters(norm, rng);
            double[] x = LayerGradientCheck.uniform(n * SHAPE.size(), rng);
            double[] gamma = java.util.Arrays.copyOfRange(theta, 0, 6);
            double[] beta = java.util.Arrays.copyOfRange(theta, 6, 12);
            assertArrayEquals(naive(groups, gamma, beta, x, n, SHAPE), norm.pass(theta, 0, n).forward(x, 0), 1e-12);
        }
        // a vector (1×1 map) with one group per channel pair
        MapShape vec = MapShape.vector(4);
        GroupNorm v = new GroupNorm("v", 2, vec);
        double[] theta = LayerGradientCheck.parameters(v, rng);
        double[] x = LayerGradientCheck.uniform(3 * 4, rng);
        assertArrayEquals(naive(2, java.util.Arrays.copyOfRange(theta, 0, 4), java.util.Arrays.copyOfRange(theta, 4,
                8), x, 3, vec), v.pass(theta, 0, 3).forward(x, 0), 1e-12);
    }

    @Test
    void reverseMatchesFiniteDifferences() {
        LayerGradientCheck.check(new GroupNorm("gn", 2, SHAPE), 2, 21);
        LayerGradientCheck.check(new GroupNorm("gn", 6, SHAPE), 2, 22);
        LayerGradientCheck.check(new GroupNorm("gn", 1, new MapShape(3, 2, 5)), 3, 23);
    }

    @Test
    void torchsNormHasMinOf32AndTheChannelsGroupsAndUnitInitialization() {
        GroupNorm norm = GroupNorm.torch("1", new MapShape(13, 13, 64));
        assertEquals(32, norm.groups());
        assertEquals(128, norm.size());
        assertEquals(List.of("1.weight", "1.bias"), norm.layout().names());
        assertArrayEquals(new int[] {64}, norm.layout().get("1.bias").shape());
        assertEquals(6, GroupNorm.torch("x", SHAPE).groups());
        assertEquals(32, GroupNorm.torch("x", new MapShape(2, 2, 32)).groups());

        double[] theta = new double[2 + norm.size()];
        theta[0] = 9;
        theta[1 + norm.size()] = 9;
        SplittableRandom rng = new SplittableRandom(4);
        norm.initialize(theta, 1, rng);
        for (int c = 0; c < 64; c++) {
            assertEquals(1.0, theta[1 + c], 0.0);
            assertEquals(0.0, theta[1 + 64 + c], 0.0);
        }
        assertEquals(9.0, theta[0], 0.0);
        assertEquals(9.0, theta[1 + norm.size()], 0.0);
        assertEquals(new SplittableRandom(4).nextLong(), rng.nextLong(), "initialization draws nothing");
    }

    @Test
    void keptBytesAreTheNormalizedValuesAndTheInverseDeviations() {
        GroupNorm norm = new GroupNorm("gn", 3, SHAPE);
        assertEquals(8L * (2 * SHAPE.size() + 2 * 3), norm.pass(new double[norm.size()], 0, 2).keptBytes());
    }

    @Test
    void refusesGroupsThatDoNotDivideTheChannels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GroupNorm("gn", 4, SHAPE));
        assertTrue(e.getMessage().contains("4 groups") && e.getMessage().contains("6 channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm("gn", 0, SHAPE));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm("gn", 7, SHAPE));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(null, 2, SHAPE));
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.torch("gn", new MapShape(2, 2, 48)));
        GroupNorm norm = new GroupNorm("gn", 2, SHAPE);
        assertThrows(IllegalArgumentException.class, () -> norm.pass(new double[11], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> norm.pass(new double[12], 0, 2)
                .forward(new double[SHAPE.size()], 0));
    }
}
