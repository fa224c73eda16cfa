package dev.odeflow.kernels.dynamics;

import java.lang.ref.SoftReference;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.IntFunction;

/**
 * Passes handed back for reuse, by batch size, shared by the threads (Spark tasks) of one JVM. Reuse keeps the
 * steady state of training free of allocation: a pass's buffers (activations of a whole batch, several MiB)
 * would otherwise be allocated for every evaluation kept by direct backprop and copied by the garbage
 * collector while they live. Held softly: the collector may take idle passes back when memory runs short.
 */
final class PassPool {

    private final Map<Integer, Deque<SoftReference<BatchDynamics.Pass>>> free = new ConcurrentHashMap<>();

    /** A pass for up to {@code maxBatch} samples: a returned one if any is still held, else {@code make}'s. */
    BatchDynamics.Pass take(int maxBatch, IntFunction<BatchDynamics.Pass> make) {
        Deque<SoftReference<BatchDynamics.Pass>> q = free.get(maxBatch);
        if (q != null) {
            for (SoftReference<BatchDynamics.Pass> r = q.pollFirst(); r != null; r = q.pollFirst()) {
                BatchDynamics.Pass p = r.get();
                if (p != null) {
                    return p;
                }
            }
        }
        return make.apply(maxBatch);
    }

    /** Hands a pass (made for {@code maxBatch} samples) back; its caller must not use it afterwards. */
    void give(int maxBatch, BatchDynamics.Pass p) {
        free.computeIfAbsent(maxBatch, k -> new ConcurrentLinkedDeque<>()).addFirst(new SoftReference<>(p));
    }
}
