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
}
