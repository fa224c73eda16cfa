package dev.odeflow.kernels.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks any {@link Layer}'s reverse pass against central finite differences of L = v·forward(x, t) for a random
 * cotangent v: ∂L/∂θ (every parameter, or a random subset), ∂L/∂x (every input, or a random subset) and ∂L/∂t.
 * The parameters sit at a nonzero offset of a larger θ and the gradient is added at another offset of a prefilled
 * g, so that a layer that writes instead of adding, or writes outside its range, fails too.
 * ({@code testing.FiniteDifferences} compares one whole vector against its largest entry; this compares every
 * entry with its own tolerance and needs a fresh pass per parameter step.)
 */
final class LayerGradientCheck {

    /** Central-difference step. */
    static final double STEP = 1e-6;
    /** Relative tolerance per entry. */
    static final double RTOL = 1e-6;
    /** Absolute floor of the tolerance (the differences' rounding is about 1e-16·|L|/STEP). */
    static final double ATOL = 1e-8;
    /** At most this many parameters and inputs are differenced; more are sampled. */
    static final int SAMPLE = 300;

    private LayerGradientCheck() {
    }

    /** Uniform values in (−1, 1). */
    static double[] uniform(int len, SplittableRandom rng) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = 2 * rng.nextDouble() - 1;
        }
        return a;
    }

    /** The layer's initialization plus a perturbation of every parameter (so γ = 1, β = 0 move away too). */
    static double[] parameters(Layer layer, SplittableRandom rng) {
        double[] theta = new double[layer.size()];
        layer.initialize(theta, 0, rng);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.3 * (2 * rng.nextDouble() - 1);
        }
        return theta;
    }

    /** Checks with random parameters, inputs in (−1, 1), time 0.7. */
    static void check(Layer layer, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = parameters(layer, rng);
        check(layer, theta, uniform(n * layer.in().size(), rng), n, 0.7, rng);
    }

    /**
     * Checks the reverse of {@code layer} at θ (layer.size() entries), x (n examples) and time t; the cotangent
     * and the sampled entries come from rng. Returns the analytic ∂L/∂t.
     */
    static double check(Layer layer, double[] theta, double[] x, int n, double t, SplittableRandom rng) {
        int size = layer.size();
        assertEquals(size, theta.length);
        assertEquals(n * layer.in().size(), x.length);
        int offset = 3;
        int gOffset = 5;
        double[] big = new double[offset + size + 2];
        Arrays.fill(big, Double.NaN); // entries outside the layer's range must not be read
        System.arraycopy(theta, 0, big, offset, size);
        double[] v = uniform(n * layer.out().size(), rng);
        double[] x0 = x.clone();

        Layer.Pass pass = layer.pass(big, offset, n);
        double[] y = pass.forward(x, t);
        assertEquals(n * layer.out().size(), y.length, "output length");
        double[] prefill = uniform(gOffset + size + 4, rng);
        double[] g = prefill.clone();
        double[] dx = pass.backward(v.clone(), g, gOffset).clone();
        double dt = pass.timeGradient();
        assertArrayEquals(x0, x, 0.0, "the layer modified its input");
        assertEquals(x.length, dx.length, "input gradient length");
        for (int i = 0; i < g.length; i++) {
            if (i < gOffset || i >= gOffset + size) {
                assertEquals(prefill[i], g[i], 0.0, "gradient entry " + i + " outside the layer's range changed");
            }
        }

        double largest = 0;
        for (int j : sample(size, rng)) {
            double[] p = big.clone();
            double[] q = big.clone();
            p[offset + j] += STEP;
            q[offset + j] -= STEP;
            double fd = (loss(layer.pass(p, offset, n), x, t, v) - loss(layer.pass(q, offset, n), x, t, v))
                    / (2 * STEP);
            close(fd, g[gOffset + j] - prefill[gOffset + j], layer + ": ∂L/∂θ[" + j + "] "
                    + layer.layout().tensors());
            largest = Math.max(largest, Math.abs(fd));
        }
        if (size > 0) {
            assertTrue(largest > 1e-3, layer + ": the loss barely depends on the parameters (" + largest + ")");
        }

        Layer.Pass probe = layer.pass(big, offset, n);
        largest = 0;
        for (int i : sample(x.length, rng)) {
            double[] p = x.clone();
            double[] q = x.clone();
            p[i] += STEP;
            q[i] -= STEP;
            double fd = (loss(probe, p, t, v) - loss(probe, q, t, v)) / (2 * STEP);
            close(fd, dx[i], layer + ": ∂L/∂x[" + i + "]");
            largest = Math.max(largest, Math.abs(fd));
        }
        assertTrue(largest > 1e-3, layer + ": the loss barely depends on the input (" + largest + ")");

        double fdt = (loss(probe, x, t + STEP, v) - loss(probe, x, t - STEP, v)) / (2 * STEP);
        close(fdt, dt, layer + ": ∂L/∂t");
        return dt;
    }

    private static double loss(Layer.Pass pass, double[] x, double t, double[] v) {
        double[] y = pass.forward(x, t);
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i] * y[i];
        }
        return s;
    }

    private static void close(double fd, double analytic, String what) {
        double tol = RTOL * Math.max(Math.abs(fd), Math.abs(analytic)) + ATOL;
        assertTrue(Math.abs(fd - analytic) <= tol, what + ": finite difference " + fd + ", reverse pass " + analytic);
    }

    /** Every index below len, or SAMPLE distinct ones at random. */
    private static List<Integer> sample(int len, SplittableRandom rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            all.add(i);
        }
        if (len <= SAMPLE) {
            return all;
        }
        for (int i = 0; i < SAMPLE; i++) {
            int j = i + rng.nextInt(len - i);
            Integer a = all.get(i);
            all.set(i, all.get(j));
            all.set(j, a);
        }
        return all.subList(0, SAMPLE);
    }
}
