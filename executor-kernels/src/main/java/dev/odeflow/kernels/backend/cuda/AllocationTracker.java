package dev.odeflow.kernels.backend.cuda;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts live device allocations and bytes (one tracker per device), so tests and logs can show that a
 * solve released everything it allocated. Thread-safe.
 */
public final class AllocationTracker {

    private final AtomicLong liveCount = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong totalCount = new AtomicLong();

    void allocated(long bytes) {
        liveCount.incrementAndGet();
        liveBytes.addAndGet(bytes);
        totalCount.incrementAndGet();
    }

    void freed(long bytes) {
        long count = liveCount.decrementAndGet();
        long left = liveBytes.addAndGet(-bytes);
        if (count < 0 || left < 0) {
            throw new IllegalStateException("device memory freed twice: " + count + " allocations, " + left
                    + " bytes left");
        }
    }

    /** Allocations not yet freed. */
    public long liveCount() {
        return liveCount.get();
    }

    /** Bytes not yet freed. */
    public long liveBytes() {
        return liveBytes.get();
    }

    /** Allocations ever made. */
    public long totalCount() {
        return totalCount.get();
    }

    @Override
    public String toString() {
        return liveCount() + " live allocations (" + liveBytes() + " bytes), " + totalCount() + " in total";
    }
}
