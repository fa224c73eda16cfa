package dev.odeflow.driver.data;

import dev.odeflow.kernels.random.StandardNormal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The latent ODE's bi-directional spirals ({@code toy:bispirals}; Chen et al. 2018 §5.1, torchdiffeq's
 * examples/latent_ode.py {@code generate_spiral2d} with its main's parameters): on {@value #TOTAL} times
 * linspace(0, 6π), the clockwise spiral r = b·50/(6π + 1 − t) around (−5, 0) and the counter-clockwise
 * r = b·t around (5, 0), b = {@value #B}. Each of the n series is one of them (probability ½ each) from a random
 * start (uniform in [{@value #SAMPLES}, {@value #TOTAL} − {@value #SAMPLES}), as latent_ode.py draws it), {@value #SAMPLES} consecutive points (times from 0) plus N(0, {@value #NOISE}²) noise; it keeps its first
 * point and {@value #KEPT_EARLY} more of its first half, chosen at random (irregular times), and its whole second
 * half: 30 observations for the encoder's context ({@code model.context = 0.5}) and 50 to extrapolate. Series
 * are named {@code spiral-<k>-cw} or {@code -cc}.
 */
public final class BiSpiralSeries {

    static final int TOTAL = 500;
    static final int SAMPLES = 100;
    static final double STOP = 6 * Math.PI;
    static final double B = 0.3;
    static final double NOISE = 0.3;
    /** Points of the first half kept besides the first. */
    static final int KEPT_EARLY = 29;

    private BiSpiralSeries() {
    }

    /** n series as one block with windows of {@code window}, drawn from {@code seed}. */
    public static SeriesBlock block(int n, int window, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] grid = SpiralSeries.linspace(STOP, TOTAL);
        int half = SAMPLES / 2;
        int per = 1 + KEPT_EARLY + half;
        List<String> ids = new ArrayList<>();
        int[] offsets = new int[n + 1];
        double[] times = new double[n * per];
        double[] values = new double[2 * n * per];
        for (int s = 0; s < n; s++) {
            boolean cc = rng.nextDouble() > 0.5;
            int start = SAMPLES + rng.nextInt(TOTAL - 2 * SAMPLES);
            int[] keep = kept(rng, half);
            ids.add(String.format(java.util.Locale.ROOT, "spiral-%04d-%s", s, cc ? "cc" : "cw"));
            offsets[s + 1] = offsets[s] + per;
            for (int k = 0; k < per; k++) {
                int i = keep[k];
                double t = grid[start + i];
                double r = cc ? B * t : B * 50 / (STOP + 1 - t);
                double x = r * Math.cos(cc ? t : STOP + 1 - t) + (cc ? 5 : -5);
                double y = r * Math.sin(cc ? t : STOP + 1 - t);
                int at = offsets[s] + k;
                times[at] = grid[i];
                values[2 * at] = x + NOISE * StandardNormal.next(rng);
                values[2 * at + 1] = y + NOISE * StandardNormal.next(rng);
            }
        }
        return new SeriesBlock(ids, 2, offsets, times, values, window);
    }

    /** The sample indices a series keeps, increasing: 0, {@value #KEPT_EARLY} of 1..half−1, then half..2·half−1. */
    private static int[] kept(SplittableRandom rng, int half) {
        int[] early = new int[half - 1];
        for (int i = 0; i < early.length; i++) {
            early[i] = i + 1;
        }
        for (int i = 0; i < KEPT_EARLY; i++) { // a partial Fisher–Yates shuffle
            int j = i + rng.nextInt(early.length - i);
            int tmp = early[i];
            early[i] = early[j];
            early[j] = tmp;
        }
        int[] chosen = Arrays.copyOf(early, KEPT_EARLY);
        Arrays.sort(chosen);
        int[] keep = new int[1 + KEPT_EARLY + half];
        System.arraycopy(chosen, 0, keep, 1, KEPT_EARLY);
        for (int i = 0; i < half; i++) {
            keep[1 + KEPT_EARLY + i] = half + i;
        }
        return keep;
    }
}
