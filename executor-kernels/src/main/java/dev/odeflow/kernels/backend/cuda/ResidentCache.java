package dev.odeflow.kernels.backend.cuda;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Values (device buffers holding a partition's data) kept across iterations, keyed by block id (e.g. Spark's
 * {@code rdd_3_7}), least recently used evicted first once the byte budget is exceeded. A value is only
 * evicted while no {@link Lease} on it is open, so a task never loses the buffer it is using; leased values
 * may push the cache over budget until they are released. Evicted values are closed. Thread-safe.
 *
 * <p>Use: {@code try (var lease = device.residentData().acquire(blockId, () -> upload(x))) { ... lease.value() ... }}
 * — the first iteration uploads, later iterations on the same executor find the data resident.
 */
public final class ResidentCache<V extends AutoCloseable> implements AutoCloseable {

    private final long budgetBytes;
    private final ToLongFunction<V> sizer;
    private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long loads;
    private boolean closed;

    public ResidentCache(long budgetBytes, ToLongFunction<V> sizer) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("cache budget must be >= 0 bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.sizer = sizer;
    }

    /** A value in use; closing the lease releases it (the value stays cached). */
    public final class Lease implements AutoCloseable {
        private final Entry<V> entry;
        private boolean released;

        private Lease(Entry<V> entry) {
            this.entry = entry;
        }

        public V value() {
            if (released) {
                throw new IllegalStateException("lease on cached block used after release");
            }
            return entry.value;
        }

        @Override
        public void close() {
            synchronized (ResidentCache.this) {
                if (!released) {
                    released = true;
                    entry.leases--;
                    evict();
                }
            }
        }
    }

    private static final class Entry<V> {
        final String key;
        final V value;
        final long bytes;
        int leases;

        Entry(String key, V value, long bytes) {
            this.key = key;
            this.value = value;
            this.bytes = bytes;
        }
    }

    /** The cached value for {@code key}, loading it with {@code loader} if absent. */
    public synchronized Lease acquire(String key, Supplier<V> loader) {
        if (closed) {
            throw new IllegalStateException("resident cache is closed");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a block id is required");
        }
        Entry<V> e = entries.get(key);
        if (e == null) {
            V value = loader.get();
            e = new Entry<>(key, value, sizer.applyAsLong(value));
            entries.put(key, e);
            bytes += e.bytes;
            loads++;
        }
        e.leases++;
        Lease lease = new Lease(e);
        evict();
        return lease;
    }

    private void evict() {
        Iterator<Map.Entry<String, Entry<V>>> it = entries.entrySet().iterator();
        RuntimeException failure = null;
        while (bytes > budgetBytes && it.hasNext()) {
            Entry<V> e = it.next().getValue();
            if (e.leases == 0) {
                it.remove();
                bytes -= e.bytes;
                failure = closeQuietly(e.value, failure);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeQuietly(AutoCloseable value, RuntimeException failure) {
        try {
            value.close();
        } catch (Exception ex) {
            RuntimeException r = new IllegalStateException("cannot free an evicted cached block", ex);
            if (failure != null) {
                failure.addSuppressed(r);
                return failure;
            }
            return r;
        }
        return failure;
    }

    public synchronized boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** Bytes held by cached values. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Loader calls so far (a miss count). */
    public synchronized long loads() {
        return loads;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Frees every cached value; open leases become invalid. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException failure = null;
        for (Entry<V> e : entries.values()) {
            failure = closeQuietly(e.value, failure);
        }
        entries.clear();
        bytes = 0;
        if (failure != null) {
            throw failure;
        }
    }
}
