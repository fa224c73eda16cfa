package dev.odeflow.kernels.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The block-id keyed cache of resident partition data, with fake buffers. GPU-free. */
class ResidentCacheTest {

    /** A stand-in for a device buffer that records being freed. */
    private static final class FakeBuffer implements AutoCloseable {
        final long bytes;
        boolean closed;

        FakeBuffer(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            assertFalse(closed, "freed twice");
            closed = true;
        }
    }

    @Test
    void loadsOncePerBlockAndServesLaterIterationsFromTheCache() {
        List<FakeBuffer> made = new ArrayList<>();
        try (ResidentCache<FakeBuffer> cache = new ResidentCache<>(1000, b -> b.bytes)) {
            FakeBuffer first;
            try (var lease = cache.acquire("rdd_3_0", () -> add(made, 100))) {
                first = lease.value();
            }
            try (var lease = cache.acquire("rdd_3_0", () -> add(made, 100))) {
                assertSame(first, lease.value());
            }
            assertEquals(1, cache.loads());
            assertEquals(100, cache.bytes());
        }
        assertTrue(made.get(0).closed, "closing the cache frees its buffers");
    }

    @Test
    void evictsLeastRecentlyUsedUnleasedBlocksOverBudget() {
        List<FakeBuffer> made = new ArrayList<>();
        ResidentCache<FakeBuffer> cache = new ResidentCache<>(250, b -> b.bytes);
        cache.acquire("a", () -> add(made, 100)).close();
        cache.acquire("b", () -> add(made, 100)).close();
        cache.acquire("a", () -> add(made, 100)).close(); // a is now most recent
        cache.acquire("c", () -> add(made, 100)).close(); // 300 > 250: evict b
        assertTrue(cache.contains("a"));
        assertFalse(cache.contains("b"));
        assertTrue(cache.contains("c"));
        assertTrue(made.get(1).closed, "evicted block freed");
        assertFalse(made.get(0).closed);
        assertEquals(200, cache.bytes());
        cache.close();
    }

    @Test
    void aLeasedBlockIsNeverEvictedUnderATask() {
        List<FakeBuffer> made = new ArrayList<>();
        ResidentCache<FakeBuffer> cache = new ResidentCache<>(150, b -> b.bytes);
        var held = cache.acquire("a", () -> add(made, 100));
        cache.acquire("b", () -> add(made, 100)).close(); // over budget, but a is leased: b goes
        assertFalse(made.get(0).closed);
        assertTrue(made.get(1).closed);
        var heldB = cache.acquire("b", () -> add(made, 100)); // both leased: over budget for now
        assertEquals(200, cache.bytes());
        held.close(); // a released: evicted to get back under budget
        assertTrue(made.get(0).closed);
        assertEquals(100, cache.bytes());
        heldB.close();
        assertThrows(IllegalStateException.class, held::value);
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.acquire("x", () -> add(made, 1)));
    }

    @Test
    void blockIdIsRequired() {
        try (ResidentCache<FakeBuffer> cache = new ResidentCache<>(10, b -> b.bytes)) {
            assertThrows(IllegalArgumentException.class, () -> cache.acquire("", () -> new FakeBuffer(1)));
        }
    }

    private static FakeBuffer add(List<FakeBuffer> made, long bytes) {
        FakeBuffer b = new FakeBuffer(bytes);
        made.add(b);
        return b;
    }
}
