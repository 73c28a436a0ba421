package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MklKernelsTest {
    private static final MklKernels.Cpu ZEN4 = new MklKernels.Cpu("Linux", "amd64", "AuthenticAMD", List.of("fpu", "avx", "avx2", "avx512f"));
    private static final MklKernels.Cpu ZEN2 = new MklKernels.Cpu("Linux", "amd64", "AuthenticAMD", List.of("fpu", "avx", "avx2"));
    private static final MklKernels.Cpu XEON = new MklKernels.Cpu("Linux", "amd64", "GenuineIntel", List.of("avx2", "avx512f"));
    private static final MklKernels.Cpu GRAVITON = new MklKernels.Cpu("Linux", "aarch64", "", List.of("asimd"));

    /** An opener that counts its calls. */
    private static final class Opener implements Runnable {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void run() {
            calls.incrementAndGet();
        }
    }

    @Test
    void onAmdTheShimIsLoadedAndTheLogSaysWhichKernels() {
        Opener opener = new Opener();
        assertEquals("MKL: Intel's AVX-512 kernels on this AMD CPU (-Dstride.mkl=default for its generic ones)",
                MklKernels.apply(null, ZEN4, opener));
        assertEquals("MKL: Intel's AVX2 kernels on this AMD CPU (-Dstride.mkl=default for its generic ones)",
                MklKernels.apply("auto", ZEN2, opener));
        assertEquals(2, opener.calls.get());
    }

    @Test
    void intelCpusAndOtherArchitecturesAreLeftAloneAndNotMentioned() {
        Opener opener = new Opener();
        assertEquals("", MklKernels.apply(null, XEON, opener));
        assertEquals("", MklKernels.apply(null, GRAVITON, opener));
        assertEquals("", MklKernels.apply(null, new MklKernels.Cpu("Mac OS X", "x86_64", "", List.of()), opener));
        assertEquals(0, opener.calls.get());
    }

    @Test
    void defaultKeepsMklsOwnChoiceAndAnUnknownValueIsNamed() {
        Opener opener = new Opener();
        assertEquals("MKL: its generic kernels on this AMD CPU (-Dstride.mkl=default)", MklKernels.apply("default", ZEN4, opener));
        assertEquals("MKL: its own kernels (-Dstride.mkl=fast is neither auto nor default)", MklKernels.apply("fast", ZEN4, opener));
        assertEquals(0, opener.calls.get());
    }

    @Test
    void aShimThatCannotLoadIsReportedAndTheRunGoesOn() {
        String said = MklKernels.apply(null, ZEN4, () -> {
            throw new UnsatisfiedLinkError("failed to map segment from shared object");
        });
        assertEquals("MKL: its generic kernels on this AMD CPU (Stride's CPU shim did not load: failed to map segment from shared object)", said);
    }

    /** Once the engine runs, the line says what MKL in the loaded libtorch chose, not what was meant. */
    @Test
    void theEngineLineIsWhatMklInTheLoadedLibtorchChose() {
        String applied = MklKernels.apply(null, ZEN4, new Opener());
        assertEquals(applied, MklKernels.confirm(applied, () -> 14));
        assertEquals(applied, MklKernels.confirm(applied, () -> 12));
        assertEquals("MKL: Intel's AVX2 kernels on this AMD CPU (-Dstride.mkl=default for its generic ones)",
                MklKernels.confirm(applied, () -> 10));
        assertEquals("MKL: its generic kernels (branch 2), although Stride's CPU shim is loaded", MklKernels.confirm(applied, () -> 2));
        assertEquals("MKL: none in the loaded libtorch", MklKernels.confirm(applied, () -> null), "a custom libtorch without MKL");
        String generic = MklKernels.apply("default", ZEN4, new Opener());
        assertEquals(generic, MklKernels.confirm(generic, () -> 2));
        assertEquals("MKL: none in the loaded libtorch", MklKernels.confirm(generic, () -> null));
        assertEquals(applied + " (MKL could not be asked which: no libtorch_cpu.so)", MklKernels.confirm(applied, () -> {
            throw new UnsatisfiedLinkError("no libtorch_cpu.so");
        }));
        assertEquals("", MklKernels.confirm("", () -> {
            throw new AssertionError("MKL is not asked when there is nothing to say");
        }));
    }

    @Test
    void theShimIsWrittenOnceNamedByItsContent(@TempDir Path dir) throws IOException {
        byte[] bytes = shimBytes();
        Path file = NativeFiles.place(dir.resolve("cache"), bytes, "stride-mkl-cpu-");
        assertTrue(file.getFileName().toString().matches("stride-mkl-cpu-[0-9a-f]{8}\\.so"), file.toString());
        assertArrayEquals(bytes, Files.readAllBytes(file));
        long written = Files.getLastModifiedTime(file).toMillis();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
        assertEquals(file, NativeFiles.place(dir.resolve("cache"), bytes, "stride-mkl-cpu-"));
        assertEquals(written - 60_000, Files.getLastModifiedTime(file).toMillis(), "an intact copy is not written again");
        Files.write(file, new byte[10]);
        NativeFiles.place(dir.resolve("cache"), bytes, "stride-mkl-cpu-");
        assertArrayEquals(bytes, Files.readAllBytes(file), "a truncated copy is replaced");
        try (var listing = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of(file), listing.toList(), "no partial files left");
        }
    }

    @Test
    void theShippedShimAnswersYes(@TempDir Path dir) throws IOException {
        assumeTrue(MklKernels.Cpu.current().os().startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
        Path file = NativeFiles.place(dir, shimBytes(), "stride-mkl-cpu-");
        assertEquals(1, NativeLibrary.getInstance(file.toString()).getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0]));
    }

    /**
     * The real thing: once the engine runs, MKL (inside the libtorch DJL loaded) has chosen its
     * branch for the CPU's instruction sets, where without the shim it reports its generic one (2)
     * on this AMD machine.
     */
    @Test
    void withTheEngineLoadedMklChoosesItsKernelsByInstructionSet() throws IOException {
        MklKernels.Cpu cpu = MklKernels.Cpu.current();
        assumeTrue(cpu.wantsShim() && System.getProperty("stride.mkl") == null, "an AMD CPU on Linux x86-64");
        Djl.manager();
        assertTrue(Djl.describe().contains("; MKL: Intel's " + cpu.vectors() + " kernels on this AMD CPU"), Djl.describe());
        String libtorch = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith("/libtorch_cpu.so"))
                .map(l -> l.substring(l.indexOf('/'))).findFirst().orElseThrow();
        int branch = NativeLibrary.getInstance(libtorch).getFunction("mkl_serv_cbwr_get_auto_branch").invokeInt(new Object[0]);
        // mkl_cbwr.h: AVX2 10, AVX512 12, AVX512_E1 14
        assertTrue(branch >= (cpu.flags().contains("avx512f") ? 12 : 10), "MKL's branch: " + branch);
        assertEquals(branch, MklKernels.loadedBranch(), "the branch the engine line is made from");
    }

    private static byte[] shimBytes() throws IOException {
        try (InputStream in = MklKernels.class.getResourceAsStream(MklKernels.RESOURCE)) {
            return in.readAllBytes();
        }
    }
}
