package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.ToySet;

import dev.odeflow.kernels.random.StandardNormal;

import java.util.SplittableRandom;

/**
 * FFJORD's 2-D toy distributions ({@code lib/toy_data.py}, with scikit-learn's make_moons, make_circles and
 * make_swiss_roll inlined), drawn deterministically from a seed. Rows are returned as an n×2 row-major array.
 */
public final class ToyData {

    /** The toy distributions. */
    private ToyData() {
    }

    /** n samples of the named distribution, n×2 row-major. */
    public static double[] generate(String name, int n, long seed) {
        return generate(ToySet.parse(name), n, seed);
    }

    /** n samples of {@code kind}, n×2 row-major. */
    public static double[] generate(ToySet kind, int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample count must be >= 0, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        return switch (kind) {
            case EIGHT_GAUSSIANS -> eightGaussians(n, rng);
            case PINWHEEL -> pinwheel(n, rng);
            case TWO_SPIRALS -> twoSpirals(n, rng);
            case CHECKERBOARD -> checkerboard(n, rng);
            case MOONS -> moons(n, rng);
            case CIRCLES -> circles(n, rng);
            case RINGS -> rings(n, rng);
            case SWISSROLL -> swissroll(n, rng);
        };
    }

    /** Eight N(c, 0.5²) clusters on a circle of radius 4, the whole divided by 1.414. */
    static double[] eightGaussians(int n, SplittableRandom rng) {
        double r = 1 / Math.sqrt(2);
        double[][] centers = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}};
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double px = StandardNormal.next(rng) * 0.5;
            double py = StandardNormal.next(rng) * 0.5;
            double[] c = centers[rng.nextInt(8)];
            x[2 * i] = (px + 4 * c[0]) / 1.414;
            x[2 * i + 1] = (py + 4 * c[1]) / 1.414;
        }
        return x;
    }

    /** Five arms: radial std 0.3, tangential std 0.1, rate 0.25, scaled by 2; n // 5 per arm (then padded). */
    static double[] pinwheel(int n, SplittableRandom rng) {
        int classes = 5;
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            double f0 = StandardNormal.next(rng) * 0.3 + 1;
            double f1 = StandardNormal.next(rng) * 0.1;
            double angle = 2 * Math.PI * label / classes + 0.25 * StrictMath.exp(f0);
            double c = StrictMath.cos(angle);
            double s = StrictMath.sin(angle);
            // features @ [[cos, -sin], [sin, cos]] as in FFJORD's einsum("ti,tij->tj")
            x[2 * i] = 2 * (f0 * c + f1 * s);
            x[2 * i + 1] = 2 * (-f0 * s + f1 * c);
        }
        shuffleRows(x, n, rng);
        return x;
    }

    /** Two interleaved spirals: radius sqrt(U)·540°, uniform jitter 0.5, /3, plus N(0, 0.1²). */
    static double[] twoSpirals(int n, SplittableRandom rng) {
        double[] x = new double[2 * n];
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++) {
            double t = Math.sqrt(rng.nextDouble()) * 540 * (2 * Math.PI) / 360;
            double dx = -StrictMath.cos(t) * t + rng.nextDouble() * 0.5;
            double dy = StrictMath.sin(t) * t + rng.nextDouble() * 0.5;
            x[2 * i] = dx / 3 + StandardNormal.next(rng) * 0.1;
            x[2 * i + 1] = dy / 3 + StandardNormal.next(rng) * 0.1;
            int j = i + half;
            if (j < n) {
                x[2 * j] = -dx / 3 + StandardNormal.next(rng) * 0.1;
                x[2 * j + 1] = -dy / 3 + StandardNormal.next(rng) * 0.1;
            }
        }
        return x;
    }

    /** A 4×4 checkerboard on [-4, 4]², alternate squares filled. */
    static double[] checkerboard(int n, SplittableRandom rng) {
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double x1 = rng.nextDouble() * 4 - 2;
            double x2 = rng.nextDouble() - rng.nextInt(2) * 2 + Math.floorMod((long) Math.floor(x1), 2);
            x[2 * i] = x1 * 2;
            x[2 * i + 1] = x2 * 2;
        }
        return x;
    }

    /** scikit-learn's make_moons(noise=0.1), then ·2 + (-1, -0.2). */
    static double[] moons(int n, SplittableRandom rng) {
        int out = n / 2;
        int in = n - out;
        double[] x = new double[2 * n];
        for (int i = 0; i < out; i++) {
            double a = out == 1 ? 0 : Math.PI * i / (out - 1);
            x[2 * i] = StrictMath.cos(a);
            x[2 * i + 1] = StrictMath.sin(a);
        }
        for (int i = 0; i < in; i++) {
            double a = in == 1 ? 0 : Math.PI * i / (in - 1);
            x[2 * (out + i)] = 1 - StrictMath.cos(a);
            x[2 * (out + i) + 1] = 1 - StrictMath.sin(a) - 0.5;
        }
        shuffleRows(x, n, rng);
        for (int i = 0; i < n; i++) {
            x[2 * i] = (x[2 * i] + StandardNormal.next(rng) * 0.1) * 2 - 1;
            x[2 * i + 1] = (x[2 * i + 1] + StandardNormal.next(rng) * 0.1) * 2 - 0.2;
        }
        return x;
    }

    /** scikit-learn's make_circles(factor=0.5, noise=0.08), then ·3. */
    static double[] circles(int n, SplittableRandom rng) {
        int out = n / 2;
        int in = n - out;
        double[] x = new double[2 * n];
        for (int i = 0; i < out; i++) {
            double a = 2 * Math.PI * i / out;
            x[2 * i] = StrictMath.cos(a);
            x[2 * i + 1] = StrictMath.sin(a);
        }
        for (int i = 0; i < in; i++) {
            double a = 2 * Math.PI * i / in;
            x[2 * (out + i)] = StrictMath.cos(a) * 0.5;
            x[2 * (out + i) + 1] = StrictMath.sin(a) * 0.5;
        }
        shuffleRows(x, n, rng);
        for (int i = 0; i < 2 * n; i++) {
            x[i] = (x[i] + StandardNormal.next(rng) * 0.08) * 3;
        }
        return x;
    }

    /** Four concentric rings of radius 3, 2.25, 1.5, 0.75, shuffled, plus N(0, 0.08²). */
    static double[] rings(int n, SplittableRandom rng) {
        int n4 = n / 4;
        int n1 = n - 3 * n4;
        int[] counts = {n4, n4, n4, n1};
        double[] radii = {1, 0.75, 0.5, 0.25};
        double[] x = new double[2 * n];
        int row = 0;
        for (int ring = 0; ring < 4; ring++) {
            for (int i = 0; i < counts[ring]; i++) {
                double a = 2 * Math.PI * i / counts[ring];
                x[2 * row] = StrictMath.cos(a) * radii[ring] * 3;
                x[2 * row + 1] = StrictMath.sin(a) * radii[ring] * 3;
                row++;
            }
        }
        shuffleRows(x, n, rng);
        for (int i = 0; i < 2 * n; i++) {
            x[i] += StandardNormal.next(rng) * 0.08;
        }
        return x;
    }

    /** scikit-learn's make_swiss_roll(noise=1.0), columns x and z, divided by 5. */
    static double[] swissroll(int n, SplittableRandom rng) {
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            rng.nextDouble(); // the roll's height (y), dropped like FFJORD's [:, [0, 2]]
            double nx = StandardNormal.next(rng);
            StandardNormal.next(rng); // the height's noise
            double nz = StandardNormal.next(rng);
            x[2 * i] = (t * StrictMath.cos(t) + nx) / 5;
            x[2 * i + 1] = (t * StrictMath.sin(t) + nz) / 5;
        }
        return x;
    }

    /** Fisher–Yates shuffle of the rows of an n×2 array. */
    private static void shuffleRows(double[] x, int n, SplittableRandom rng) {
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double a = x[2 * i];
            double b = x[2 * i + 1];
            x[2 * i] = x[2 * j];
            x[2 * i + 1] = x[2 * j + 1];
            x[2 * j] = a;
            x[2 * j + 1] = b;
        }
    }
}
