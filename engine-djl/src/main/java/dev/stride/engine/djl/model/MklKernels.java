package dev.stride.engine.djl.model;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MKL's fast kernels on AMD processors, before the engine starts. libtorch does its matrix products
 * (every linear layer, forward and backward) with the Intel MKL linked into libtorch_cpu, and MKL
 * takes its kernels for the CPU's instruction sets (AVX2, AVX-512) only when it finds an Intel
 * processor: on AMD it runs its generic ones, whatever the CPU supports. MKL asks
 * {@code mkl_serv_intel_cpu_true} through the dynamic linker, so a definition that answers yes, in
 * the process's global symbol scope before MKL first asks, makes it choose by the instruction sets
 * the CPU reports, as on Intel's. engine-djl ships that definition as a 4.7 KB library of one
 * function (src/main/native/stride_mkl_cpu.c), which this class copies into DJL's cache directory
 * (where libtorch itself is unpacked) and opens with {@code RTLD_GLOBAL}.
 *
 * <p>On the AMD EPYC (Zen 4) this was measured on, one step of the reference MLP went from 1.65 to
 * 1.09 ms (forward 500 to 298 µs, backward 630 to 342 µs; bench/RESULTS.md, round 5). Applied
 * on Linux x86-64 with an AMD or Hygon CPU; {@code -Dstride.mkl=default} keeps MKL's own choice.
 * The kernels differ from the generic ones in the last bits of their sums, and like them are the
 * same from run to run (libtorch aligns every tensor to 64 bytes), so exact resume holds.
 */
final class MklKernels {
    /** The shim in engine-djl's jar. */
    static final String RESOURCE = "/dev/stride/engine/djl/native/linux-x86-64/libstride_mkl_cpu.so";

    /** The CPU vendors whose processors MKL treats as "not Intel" and that run Intel's code paths (Zen). */
    private static final Set<String> VENDORS = Set.of("AuthenticAMD", "HygonGenuine");

    // dlopen's flags on Linux: resolve now, into the global scope, never unloaded
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;
    private static final int RTLD_NODELETE = 0x1000;

    /** How the engine line starts when MKL runs Intel's kernels. */
    private static final String INTEL_KERNELS = "MKL: Intel's ";

    /** The opened shim, kept so that JNA never closes it. */
    private static NativeLibrary shim;

    private MklKernels() {}

    /** What the machine is, as far as this class cares. */
    record Cpu(String os, String arch, String vendor, List<String> flags) {
        /** This process's machine: os.name, os.arch, and /proc/cpuinfo's first vendor_id and flags lines. */
        static Cpu current() {
            String vendor = "";
            List<String> flags = List.of();
            try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/cpuinfo"))) {
                // the first processor's lines say it (a many-core machine's file is long)
                for (String line = in.readLine(); line != null && (vendor.isEmpty() || flags.isEmpty()); line = in.readLine()) {
                    if (vendor.isEmpty() && line.startsWith("vendor_id")) {
                        vendor = line.substring(line.indexOf(':') + 1).strip();
                    } else if (flags.isEmpty() && line.startsWith("flags")) {
                        flags = List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or no /proc: no vendor, nothing applied
            }
            return new Cpu(System.getProperty("os.name"), System.getProperty("os.arch"), vendor, flags);
        }

        boolean wantsShim() {
            return os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64")) && VENDORS.contains(vendor);
        }

        /** The widest vector instructions the CPU reports, for the log. */
        String vectors() {
            return flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : flags.contains("avx") ? "AVX" : "SSE";
        }
    }

    /**
     * Loads the shim where it applies; returns what was done for the log's engine line, or "" when
     * there is nothing to say (an Intel CPU, another architecture or system).
     *
     * @param choice the value of {@code -Dstride.mkl}: null or {@code auto}, or {@code default}
     */
    static String apply(String choice) {
        return apply(choice, Cpu.current(), MklKernels::open);
    }

    /** {@link #apply(String)} for {@code cpu}, with {@code opener} loading the shim (it throws when it cannot). */
    static String apply(String choice, Cpu cpu, Runnable opener) {
        if (choice != null && !choice.equals("auto") && !choice.equals("default")) {
            return "MKL: its own kernels (-Dstride.mkl=" + choice + " is neither auto nor default)";
        }
        if (!cpu.wantsShim()) {
            return "";
        }
        if ("default".equals(choice)) {
            return "MKL: its generic kernels on this " + vendorName(cpu) + " CPU (-Dstride.mkl=default)";
        }
        try {
            opener.run();
        } catch (RuntimeException | LinkageError e) {
            return "MKL: its generic kernels on this " + vendorName(cpu) + " CPU (Stride's CPU shim did not load: " + e.getMessage() + ")";
        }
        return INTEL_KERNELS + cpu.vectors() + " kernels on this " + vendorName(cpu) + " CPU (-Dstride.mkl=default for its generic ones)";
    }

    /** MKL's answer to "which kernels": its branch number, or null when the loaded libtorch holds no MKL. */
    @FunctionalInterface
    interface Branch {
        /** @throws RuntimeException or LinkageError when MKL cannot be asked */
        Integer get();
    }

    /**
     * What MKL inside the loaded libtorch chose, for the engine line, once the engine runs:
     * {@code applied} (what {@link #apply} did before the engine started) as MKL's own branch has
     * it. A libtorch without MKL (a custom build in {@code PYTORCH_LIBRARY_PATH}) is said so, and a
     * shim MKL did not heed is named with the branch it chose. "" stays "".
     */
    static String confirm(String applied, Branch branch) {
        if (applied.isEmpty()) {
            return applied;
        }
        Integer chosen;
        try {
            chosen = branch.get();
        } catch (RuntimeException | LinkageError e) {
            return applied + " (MKL could not be asked which: " + e.getMessage() + ")";
        }
        if (chosen == null) {
            return "MKL: none in the loaded libtorch";
        }
        if (!applied.startsWith(INTEL_KERNELS)) {
            return applied;
        }
        // mkl_cbwr.h: MKL_CBWR_AVX 9, AVX2 10, AVX512_MIC 11, AVX512 12, AVX512_MIC_E1 13, AVX512_E1 14
        if (chosen < 9) {
            return "MKL: its generic kernels (branch " + chosen + "), although Stride's CPU shim is loaded";
        }
        String vectors = chosen >= 11 ? "AVX-512" : chosen == 10 ? "AVX2" : "AVX";
        return INTEL_KERNELS + vectors + applied.substring(applied.indexOf(" kernels on this "));
    }

    /** MKL's branch in the libtorch DJL loaded, or null when that libtorch has no MKL. */
    static Integer loadedBranch() {
        NativeLibrary libtorch = NativeLibrary.getInstance(LibUtils.getLibtorchPath() + "/libtorch_cpu.so");
        com.sun.jna.Function f;
        try {
            f = libtorch.getFunction("mkl_serv_cbwr_get_auto_branch");
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
        return f.invokeInt(new Object[0]);
    }

    private static String vendorName(Cpu cpu) {
        return cpu.vendor().equals("AuthenticAMD") ? "AMD" : cpu.vendor().equals("HygonGenuine") ? "Hygon" : cpu.vendor();
    }

    /** Copies the shim into DJL's cache directory (once per content) and opens it into the global scope. */
    private static synchronized void open() {
        if (shim != null) {
            return;
        }
        shim = NativeFiles.open(RESOURCE, "stride-mkl-cpu-", Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE));
        shim.getFunction("mkl_serv_intel_cpu_true"); // fails if the file is not the shim
    }
}
