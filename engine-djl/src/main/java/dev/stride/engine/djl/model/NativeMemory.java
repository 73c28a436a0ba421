package dev.stride.engine.djl.model;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * glibc's malloc set for training, before the engine starts. libtorch takes every tensor from
 * malloc, and a training step frees and takes again the same large blocks (activations, gradients,
 * optimizer temporaries: 800 KB each for the reference MLP). With glibc's defaults those blocks come
 * and go through mmap/munmap, or the heap top is trimmed after them, so every step touches fresh
 * pages: a perf trace of the reference job spent a quarter of its samples in the kernel's page-fault
 * handler and GEMMs writing into fresh memory. Keeping freed memory for reuse, as set here, took the
 * job from 13.8k to 20.1k samples/s (median of 3 interleaved rounds; bench/RESULTS.md, "Stride vs
 * PyTorch").
 *
 * <p>Applied through {@code mallopt} (so an embedding program gets it too, not only {@code
 * ./stride}), only on glibc; {@code -Dstride.malloc=default} keeps glibc's defaults. When the
 * environment sets all four (glibc reads them when the process starts), nothing is left to set and
 * {@code mallopt} is not looked up.
 */
final class NativeMemory {
    // mallopt's parameter numbers (glibc's malloc.h)
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;

    /** Blocks below this come from the heap and are reused; glibc's own threshold grows to at most this. */
    static final int MMAP_THRESHOLD = 32 << 20;
    /** Free memory at a heap's top kept for reuse instead of being returned to the kernel. */
    static final int TRIM_THRESHOLD = 128 << 20;
    /** Extra memory taken whenever a heap grows, so steady growth does not call the kernel each step. */
    static final int TOP_PAD = 16 << 20;
    /** Arenas: one per thread that allocates (PyTorch, data loading) would multiply the memory kept. */
    static final int ARENA_MAX = 2;

    private NativeMemory() {}

    /**
     * Sets the allocator up, once; returns what it did, for the log's first lines. A setting whose
     * glibc variable ({@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_},
     * {@code MALLOC_TOP_PAD_}, {@code MALLOC_ARENA_MAX}) is in the environment is left to it.
     *
     * @param env the process's environment
     * @param choice the value of {@code -Dstride.malloc}, or null
     */
    static String apply(Map<String, String> env, String choice) {
        return apply(env, choice, NativeMemory::glibcMallopt);
    }

    /** {@link #apply(Map, String)} with {@code lookup} finding {@code mallopt} (null when not on glibc), called only when needed. */
    static String apply(Map<String, String> env, String choice, Supplier<Function> lookup) {
        if ("default".equals(choice)) {
            return "glibc's defaults (-Dstride.malloc=default)";
        }
        if (!Stream.of(VARIABLES).allMatch(env::containsKey)) {
            Function mallopt = lookup.get();
            if (mallopt == null) {
                return "the C library's defaults (not glibc)";
            }
            boolean ok = set(mallopt, env, "MALLOC_MMAP_THRESHOLD_", M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                    & set(mallopt, env, "MALLOC_TRIM_THRESHOLD_", M_TRIM_THRESHOLD, TRIM_THRESHOLD)
                    & set(mallopt, env, "MALLOC_TOP_PAD_", M_TOP_PAD, TOP_PAD)
                    & set(mallopt, env, "MALLOC_ARENA_MAX", M_ARENA_MAX, ARENA_MAX);
            if (!ok) {
                return "glibc's defaults (mallopt refused a setting)";
            }
        }
        return "freed memory kept for reuse (mmap threshold " + setting(env, "MALLOC_MMAP_THRESHOLD_", MMAP_THRESHOLD, mib(MMAP_THRESHOLD))
                + ", trim threshold " + setting(env, "MALLOC_TRIM_THRESHOLD_", TRIM_THRESHOLD, mib(TRIM_THRESHOLD)) + ", arenas "
                + setting(env, "MALLOC_ARENA_MAX", ARENA_MAX, String.valueOf(ARENA_MAX)) + "; -Dstride.malloc=default for glibc's)";
    }

    /** glibc's variables for the four settings. */
    private static final String[] VARIABLES = {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX"};

    private static boolean set(Function mallopt, Map<String, String> env, String variable, int param, int value) {
        return env.containsKey(variable) || mallopt.invokeInt(new Object[] {param, value}) == 1;
    }

    /** Our value, or the environment's with where it came from (bin/stride's own values are ours). */
    private static String setting(Map<String, String> env, String variable, int ours, String shown) {
        String theirs = env.get(variable);
        return theirs == null || theirs.strip().equals(String.valueOf(ours)) ? shown : theirs + " from " + variable;
    }

    /** glibc's {@code mallopt}, or null elsewhere (musl has a {@code mallopt} that does nothing; macOS none). */
    private static Function glibcMallopt() {
        try {
            NativeLibrary c = NativeLibrary.getInstance("c");
            c.getFunction("gnu_get_libc_version");
            return c.getFunction("mallopt");
        } catch (LinkageError | RuntimeException e) { // no libc symbol, or JNA itself could not load
            return null;
        }
    }

    private static String mib(int bytes) {
        return (bytes >> 20) + " MiB";
    }
}
