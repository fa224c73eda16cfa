package dev.odeflow.driver.data;

/**
 * Derives independent 64-bit seeds as pure functions of (seed, stream, indices), so that every random choice
 * of a run can be recomputed after a restart. Uses SplitMix64's finalizer.
 */
public final class Seeds {

    /** Streams of randomness used by the driver. */
    public static final long DATA = 0x44415441L;
    public static final long SPLIT = 0x53504c54L;
    public static final long SHUFFLE = 0x53485546L;
    public static final long NOISE = 0x4e4f4953L;
    public static final long INIT = 0x494e4954L;

    private Seeds() {
    }

    /** A seed for {@code stream} at the given indices. */
    public static long derive(long seed, long stream, long... indices) {
        long h = mix(seed ^ mix(stream));
        for (long i : indices) {
            h = mix(h + 0x9E3779B97F4A7C15L * (i + 1));
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
