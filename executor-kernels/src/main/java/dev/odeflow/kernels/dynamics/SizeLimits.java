package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.dynamics.LayerKind;

import java.util.Arrays;

/**
 * The largest model and batch odeflow accepts, checked with overflow-safe (long, exact) arithmetic before
 * anything is allocated. FFJORD's largest tabular models have a few million parameters; the parameter limit
 * leaves ten times that and keeps one flat parameter vector at 256 MiB (training holds several: weights,
 * gradient, Adam moments, one accumulator per task).
 */
public final class SizeLimits {

    /** Most units in one layer: the data dimension and every hidden width. */
    public static final int MAX_WIDTH = 65_536;
    /** Most hidden layers. */
    public static final int MAX_HIDDEN_LAYERS = 64;
    /** Most entries of the flat parameter vector (2^25, 256 MiB of doubles). */
    public static final long MAX_PARAMETERS = 1L << 25;
    /** Most elements of one Java array (the JDK's limit; larger requests fail with OutOfMemoryError). */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private SizeLimits() {
    }

    /**
     * Throws IllegalArgumentException, naming the limit, when the data dimension, a hidden width, the number of
     * hidden layers or the parameter count is too large.
     */
    public static void checkArchitecture(int dim, int[] hidden, LayerKind layer) {
        if (dim > MAX_WIDTH) {
            throw new IllegalArgumentException("data dimension " + dim + " exceeds the limit of " + MAX_WIDTH);
        }
        checkHidden(hidden, layer, dim);
    }

    /**
     * The hidden-layer part of {@link #checkArchitecture}; with {@code dim} = 1 it checks what a job file can
     * before the data (and so the dimension) is known.
     */
    public static void checkHidden(int[] hidden, LayerKind layer, int dim) {
        if (hidden.length > MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException(hidden.length + " hidden layers exceed the limit of "
                    + MAX_HIDDEN_LAYERS);
        }
        for (int h : hidden) {
            if (h > MAX_WIDTH) {
                throw new IllegalArgumentException("hidden width " + h + " exceeds the limit of " + MAX_WIDTH
                        + " units per layer");
            }
        }
        long count = parameterCount(dim, hidden, layer);
        if (count > MAX_PARAMETERS) {
            throw new IllegalArgumentException("hidden widths " + Arrays.toString(hidden) + " give " + count
                    + " parameters at data dimension " + dim + ", more than the limit of " + MAX_PARAMETERS);
        }
    }

    /**
     * Entries of the flat parameter vector (dynamics tensors plus {@code sqrt_end_time}), or Long.MAX_VALUE if
     * that does not fit in a long. Widths must be >= 1.
     */
    public static long parameterCount(int dim, int[] hidden, LayerKind layer) {
        int extra = layer == LayerKind.CONCATSQUASH ? 4 : 2;
        try {
            long total = 1;
            long in = dim;
            for (int l = 0; l <= hidden.length; l++) {
                long out = l < hidden.length ? hidden[l] : dim;
                total = Math.addExact(total, Math.multiplyExact(out, Math.addExact(in, extra)));
                in = out;
            }
            return total;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Bytes the dynamics network's buffers take per sample in one pass (an estimate: the per-layer linear,
     * pre-activation and activation rows and the two gradient rows, for the primal and each of {@code probes}
     * tangent rows).
     */
    public static long passBytesPerSample(CnfArchitecture arch, int probes) {
        int[] w = arch.widths();
        long perRow = w[0];
        long widest = w[0];
        for (int l = 1; l < w.length; l++) {
            perRow += 3L * w[l];
            widest = Math.max(widest, w[l]);
        }
        perRow += 2 * widest;
        return Math.multiplyExact(Math.multiplyExact(perRow, probes + 1L), Double.BYTES);
    }

    /**
     * Throws IllegalArgumentException when one pass over {@code batch} samples needs an array longer than Java
     * allows, or more than {@code memoryBytes} in all (estimated by {@link #passBytesPerSample}).
     *
     * @param what names the batch in the message, e.g. "bench batch=100000000"
     */
    public static void checkBatch(CnfArchitecture arch, long batch, int probes, long memoryBytes, String what) {
        int widest = Arrays.stream(arch.widths()).max().orElse(1);
        long perSample = passBytesPerSample(arch, probes);
        long byArrays = MAX_ARRAY_LENGTH / widest / (probes + 1L);
        long byMemory = memoryBytes / perSample;
        if (batch <= Math.min(byArrays, byMemory)) {
            return;
        }
        if (byMemory <= byArrays) {
            long bytes = batch > Long.MAX_VALUE / perSample ? Long.MAX_VALUE : batch * perSample;
            throw new IllegalArgumentException(what + ": " + batch + " samples need about " + mib(bytes)
                    + " MiB for the network's buffers (" + perSample + " bytes per sample), more than the "
                    + mib(memoryBytes) + " MiB allowed; at most " + byMemory + " samples fit");
        }
        throw new IllegalArgumentException(what + ": " + batch + " samples need arrays of " + batch * (probes + 1L)
                + " × " + widest + " elements, more than Java's limit of " + MAX_ARRAY_LENGTH + "; at most "
                + byArrays + " samples fit");
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
