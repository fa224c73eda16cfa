package dev.odeflow.kernels.backend.cuda;

/**
 * A 1-D launch: {@code blocks} blocks of {@code threads} threads, one thread per item, with
 * {@code sharedBytes} of dynamic shared memory per block.
 */
public record LaunchGeometry(int blocks, int threads, int sharedBytes) {

    /** Threads per block of the CNF kernels: one sample per thread, a tile of 128 samples per block. */
    public static final int CNF_THREADS = 128;
    /** Threads per block of the element-wise and norm kernels (ODEFLOW_NORM_THREADS in rk_stages.cuh). */
    public static final int VECTOR_THREADS = 256;

    public LaunchGeometry {
        if (blocks < 1 || threads < 1 || threads > 1024 || sharedBytes < 0) {
            throw new IllegalArgumentException("invalid launch: " + blocks + " blocks of " + threads
                    + " threads, " + sharedBytes + " shared bytes");
        }
    }

    /** Enough blocks of {@code threads} threads to give each of {@code items} items one thread. */
    public static LaunchGeometry cover(long items, int threads, int sharedBytes) {
        if (items < 1) {
            throw new IllegalArgumentException("a launch needs at least one item, got " + items);
        }
        long blocks = (items + threads - 1) / threads;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(items + " items need more than 2^31-1 blocks of " + threads);
        }
        return new LaunchGeometry((int) blocks, threads, sharedBytes);
    }

    /** Threads launched in total (at least the item count). */
    public long totalThreads() {
        return (long) blocks * threads;
    }
}
