package dev.stride.runner.api.checkpoint.fuzz;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread so far, from {@code com.sun.management.ThreadMXBean}.
 * Reached by reflection: the tests compile inside the runner-api module, which does not read
 * {@code jdk.management}; they run on the class path, where it is visible.
 */
final class ThreadAllocations {
    private static final Object BEAN;
    private static final Method CURRENT;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            CURRENT = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ThreadAllocations() {}

    static long now() {
        try {
            return (Long) CURRENT.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM cannot measure thread allocations", e);
        }
    }
}
