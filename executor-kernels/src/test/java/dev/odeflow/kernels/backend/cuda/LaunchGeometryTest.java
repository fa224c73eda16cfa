package dev.odeflow.kernels.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiling arithmetic of the launches. GPU-free. */
class LaunchGeometryTest {

    @Test
    void everyItemGetsExactlyOneThreadAndNoBlockIsEmpty() {
        for (long items : new long[] {1, 127, 128, 129, 1000, 10_000, 100_000, 1_000_003}) {
            LaunchGeometry g = LaunchGeometry.cover(items, LaunchGeometry.CNF_THREADS, 4096);
            assertTrue(g.totalThreads() >= items, items + " items");
            assertTrue(g.totalThreads() - items < g.threads(), "last block of " + items + " items is empty");
            assertEquals(4096, g.sharedBytes());
        }
        assertEquals(782, LaunchGeometry.cover(100_000, 128, 0).blocks());
        assertEquals(1, LaunchGeometry.cover(128, 128, 0).blocks());
        assertEquals(2, LaunchGeometry.cover(129, 128, 0).blocks());
    }

    @Test
    void impossibleLaunchesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.cover(0, 128, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 2048, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 128, -1));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.cover(1L << 40, 1, 0));
    }
}
