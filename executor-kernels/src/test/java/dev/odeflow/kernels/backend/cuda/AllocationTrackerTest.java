package dev.odeflow.kernels.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The leak counter behind the "no device memory left allocated" checks. GPU-free. */
class AllocationTrackerTest {

    @Test
    void countsLiveAllocationsAndBytes() {
        AllocationTracker t = new AllocationTracker();
        t.allocated(100);
        t.allocated(28);
        assertEquals(2, t.liveCount());
        assertEquals(128, t.liveBytes());
        t.freed(100);
        assertEquals(1, t.liveCount());
        assertEquals(28, t.liveBytes());
        t.freed(28);
        assertEquals(0, t.liveCount());
        assertEquals(0, t.liveBytes());
        assertEquals(2, t.totalCount());
    }

    @Test
    void freeingMoreThanAllocatedIsAnError() {
        AllocationTracker t = new AllocationTracker();
        t.allocated(8);
        t.freed(8);
        assertThrows(IllegalStateException.class, () -> t.freed(8));
    }
}
