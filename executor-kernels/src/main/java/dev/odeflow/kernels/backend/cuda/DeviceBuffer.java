package dev.odeflow.kernels.backend.cuda;

/**
 * One device allocation, counted by its device's {@link AllocationTracker}. Closing frees it (idempotent).
 * Transfers are synchronous. Not thread-safe: a buffer belongs to one solve (or one cached block).
 */
public interface DeviceBuffer extends AutoCloseable {

    /** A bit pattern that is NaN both as float and as double: poisons outputs so unwritten elements show. */
    int NAN_BITS = 0xFFFFFFFF;

    long bytes();

    /** Copies src to the start of the buffer. */
    void upload(float[] src);

    void upload(double[] src);

    void upload(int[] src);

    /** Copies the first dst.length floats of the buffer into dst. */
    void download(float[] dst);

    /** Copies the first dst.length doubles of the buffer into dst. */
    void download(double[] dst);

    /** Fills the whole buffer with NaN (as float and as double). */
    void poison();

    @Override
    void close();

    /**
     * Closes every buffer in {@code owned} (each is attempted even if one fails; the first failure is thrown
     * with the others suppressed) and empties the list.
     */
    static void closeAll(java.util.List<DeviceBuffer> owned) {
        RuntimeException failure = null;
        for (DeviceBuffer b : owned) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
