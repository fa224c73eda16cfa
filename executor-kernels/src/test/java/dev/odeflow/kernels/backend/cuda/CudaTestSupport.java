package dev.odeflow.kernels.backend.cuda;

import org.junit.jupiter.api.Assumptions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared pieces of the CUDA tests: the GPU gate, seeded inputs and the parity comparison. */
final class CudaTestSupport {

    /** Parity target of the issue: relative error at most 1e-4. */
    static final double PARITY = 1e-4;

    /** System property that sets the seed of the parity tests' random inputs, e.g. -Dodeflow.test.seed=42. */
    static final String SEED_PROPERTY = "odeflow.test.seed";

    /** The seed when the property is not set: every run draws the same inputs. */
    static final long DEFAULT_SEED = 20240601L;

    private CudaTestSupport() {
    }

    /** Skips the calling test, with the probe's reason, where CUDA is unusable. */
    static void assumeCuda() {
        CudaAvailability av = CudaProbe.availability();
        Assumptions.assumeTrue(av.available(), () -> "no CUDA device: " + av.reason()
                + " -- GPU parity test skipped (run bin/gpu-first-light on a GPU machine)");
    }

    /** The inputs' seed: {@value #SEED_PROPERTY} if set (decimal or 0x hex), else {@link #DEFAULT_SEED}. */
    static long seed() {
        String v = System.getProperty(SEED_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_SEED;
        }
        try {
            return Long.decode(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + v + " is not a long", e);
        }
    }

    /**
     * A generator for a parity test's random inputs, seeded with {@link #seed()}. The contracts that use it
     * carry {@link SeedReporter}, which puts the seed into the message of a failure.
     */
    static Random rng() {
        return new Random(seed());
    }

    /** How to draw the same inputs again: the seed and the property that sets it. */
    static String seedNote() {
        long seed = seed();
        return "[inputs from seed " + seed + "; rerun with -D" + SEED_PROPERTY + "=" + seed + "]";
    }

    static double[] random(Random rng, int length, double scale) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return v;
    }

    static double[] poisoned(int length) {
        double[] v = new double[length];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    /**
     * Asserts every element of {@code actual[from, to)} is finite (so NaN-poisoned, unwritten elements fail)
     * and the relative error ‖actual − expected‖₂ / ‖expected‖₂ over that range is at most {@code tol}.
     */
    static void assertParity(String what, double[] expected, double[] actual, int from, int to, double tol) {
        double diff = 0;
        double norm = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(actual[i])) {
                fail(what + "[" + i + "] is " + actual[i] + " (expected " + expected[i] + "): not written or not finite");
            }
            assertTrue(Double.isFinite(expected[i]), what + " reference [" + i + "] is " + expected[i]);
            double e = actual[i] - expected[i];
            diff += e * e;
            norm += expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
        assertTrue(norm > 0, what + ": reference is all zeros, the comparison would prove nothing");
        assertTrue(rel <= tol, what + ": relative error " + rel + " > " + tol);
    }

    static void assertParity(String what, double expected, double actual, double scale, double tol) {
        assertTrue(Double.isFinite(actual), what + " is " + actual);
        assertEquals(expected, actual, tol * Math.max(Math.abs(expected), scale), what);
    }
}
