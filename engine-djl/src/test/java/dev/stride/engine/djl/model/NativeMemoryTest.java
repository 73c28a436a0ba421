package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    private static boolean glibc() {
        return Files.exists(Path.of("/usr/bin/ldd")) && System.getProperty("os.name").startsWith("Linux");
    }

    @Test
    void defaultChoiceLeavesGlibcAlone() {
        assertEquals("glibc's defaults (-Dstride.malloc=default)", NativeMemory.apply(Map.of(), "default"));
    }

    @Test
    void onGlibcKeepsFreedMemoryWithOurSettings() {
        assumeTrue(glibc());
        String done = NativeMemory.apply(Map.of(), null);
        assertEquals("freed memory kept for reuse (mmap threshold 32 MiB, trim threshold 128 MiB, arenas 2;"
                + " -Dstride.malloc=default for glibc's)", done);
        assertEquals(done, NativeMemory.apply(Map.of("MALLOC_ARENA_MAX", "2"), null), "bin/stride's own arena count is ours");
    }

    @Test
    void anEnvironmentWithOurFourValuesLeavesNothingToSet() {
        Map<String, String> env = Map.of("MALLOC_MMAP_THRESHOLD_", "33554432", "MALLOC_TRIM_THRESHOLD_", "134217728",
                "MALLOC_TOP_PAD_", "16777216", "MALLOC_ARENA_MAX", "2");
        String done = NativeMemory.apply(env, null, () -> {
            throw new AssertionError("mallopt was looked up although the environment set everything");
        });
        assertEquals("freed memory kept for reuse (mmap threshold 32 MiB, trim threshold 128 MiB, arenas 2;"
                + " -Dstride.malloc=default for glibc's)", done);
    }

    @Test
    void aSettingTheEnvironmentChoseIsLeftToIt() {
        assumeTrue(glibc());
        String done = NativeMemory.apply(Map.of("MALLOC_TRIM_THRESHOLD_", "0", "MALLOC_ARENA_MAX", "4"), null);
        assertTrue(done.contains("trim threshold 0 from MALLOC_TRIM_THRESHOLD_"), done);
        assertTrue(done.contains("arenas 4 from MALLOC_ARENA_MAX"), done);
        assertTrue(done.contains("mmap threshold 32 MiB"), done);
    }
}
