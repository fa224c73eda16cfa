package dev.odeflow.kernels.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * The dynamic shared-memory opt-in of a device's kernels. The driver's attribute
 * ({@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES}) is per function and is a ceiling: a launch of that
 * function may use up to the value last set. So the opt-in is kept per function and only ever raised: a later,
 * smaller launch must not lower it (which would make the next larger launch fail). Thread-safe: concurrent
 * launches of one function set the attribute in turn, each to the largest request so far.
 */
final class SharedMemoryOptIn {

    /** Dynamic shared memory a block may use without opting in. */
    static final int DEFAULT_LIMIT = 48 * 1024;

    private final ObjIntConsumer<String> setLimit;
    private final Map<String, Integer> limits = new HashMap<>();

    /** {@code setLimit.accept(entry, bytes)} sets the driver attribute of that entry point's function. */
    SharedMemoryOptIn(ObjIntConsumer<String> setLimit) {
        this.setLimit = setLimit;
    }

    /** Makes sure a launch of {@code entry} may use {@code bytes} of dynamic shared memory. */
    synchronized void ensure(String entry, int bytes) {
        int current = limits.getOrDefault(entry, DEFAULT_LIMIT);
        if (bytes > current) {
            setLimit.accept(entry, bytes);
            limits.put(entry, bytes);
        }
    }

    /** The limit {@code entry} has now (the default until a launch opted in). */
    synchronized int limit(String entry) {
        return limits.getOrDefault(entry, DEFAULT_LIMIT);
    }
}
