package dev.odeflow.kernels.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SharedMemoryOptInTest {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final SharedMemoryOptIn optIn = new SharedMemoryOptIn((entry, bytes) -> calls.add(entry + "=" + bytes));

    @Test
    void launchesWithinTheDefaultNeverTouchTheDriver() {
        optIn.ensure("cnf_forward", SharedMemoryOptIn.DEFAULT_LIMIT);
        optIn.ensure("cnf_forward", 1024);
        assertEquals(List.of(), calls);
    }

    @Test
    void aSmallerLaterLaunchDoesNotLowerTheLimit() {
        optIn.ensure("cnf_forward", 100_000);
        optIn.ensure("cnf_forward", 60_000);
        optIn.ensure("cnf_forward", 100_000);
        assertEquals(List.of("cnf_forward=100000"), calls);
        assertEquals(100_000, optIn.limit("cnf_forward"));
    }

    @Test
    void theLimitIsPerFunctionNotPerSize() {
        optIn.ensure("cnf_forward", 100_000);
        optIn.ensure("cnf_vjp", 100_000);
        optIn.ensure("cnf_vjp", 120_000);
        assertEquals(List.of("cnf_forward=100000", "cnf_vjp=100000", "cnf_vjp=120000"), calls);
        assertEquals(100_000, optIn.limit("cnf_forward"));
        assertEquals(SharedMemoryOptIn.DEFAULT_LIMIT, optIn.limit("rk_combine"));
    }

    @Test
    void concurrentLaunchesEndAtTheLargestRequestAndSetEachValueOnce() throws InterruptedException {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int bytes = 50_000 + 1000 * t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 1000; i++) {
                    optIn.ensure("cnf_vjp", bytes);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(57_000, optIn.limit("cnf_vjp"));
        assertEquals(calls.size(), calls.stream().distinct().count(), "a limit was set twice: " + calls);
        assertEquals("cnf_vjp=57000", calls.get(calls.size() - 1));
    }
}
