package dev.odeflow.kernels.random;

import java.util.SplittableRandom;

/**
 * Standard normal draws whose values are fixed by the generator's state alone: Marsaglia's polar method with
 * {@link StrictMath} (as {@code java.util.Random.nextGaussian}, without the cached second value), instead of
 * {@code SplittableRandom.nextGaussian}, whose ziggurat uses {@link Math#exp}, which the JVM may compute with
 * CPU-specific intrinsics.
 */
public final class StandardNormal {

    private StandardNormal() {
    }

    /** One N(0, 1) draw; consumes an even number of {@code nextDouble()} calls. */
    public static double next(SplittableRandom rng) {
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * rng.nextDouble() - 1;
            v2 = 2 * rng.nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        return v1 * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    }
}
