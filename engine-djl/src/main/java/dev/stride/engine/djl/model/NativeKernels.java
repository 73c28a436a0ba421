package dev.stride.engine.djl.model;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stride's own CPU kernels, for work libtorch does slowly (src/main/native/stride_kernels.c, a
 * library without C library, shipped in the jar for Linux x86-64), called through JNA's direct
 * mapping. Loaded on first use; elsewhere, when it cannot load, or with {@code
 * -Dstride.kernels=libtorch}, callers use libtorch's own ops. The kernels compute what libtorch's
 * do, to the bit (the tests hold them to it).
 */
public final class NativeKernels {
    static final String RESOURCE = "/dev/stride/engine/djl/native/linux-x86-64/libstride_kernels.so";
    static final String PROPERTY = "stride.kernels";
    private static final Logger LOG = LoggerFactory.getLogger(NativeKernels.class);
    /** Whether {@link Loaded#NOTE} was said. */
    private static volatile boolean noted;

    private NativeKernels() {}

    /**
     * Whether the kernels are there to call ({@code -Dstride.kernels=libtorch}, set at any time, turns
     * them off). The first call says what went wrong in loading them, if anything did.
     */
    public static boolean available() {
        if (Loaded.NOTE != null && !noted) {
            noted = true;
            LOG.warn(Loaded.NOTE);
        }
        return Loaded.OK && !"libtorch".equals(System.getProperty(PROPERTY));
    }

    /** Loads the kernels (once) without a word, for the command line's preload thread; whether they loaded. */
    static boolean preload() {
        return Loaded.OK;
    }

    /**
     * Writes, for max pooling with a k x k window and stride k over {@code planes} contiguous h x w
     * float planes, the index within its plane of the element libtorch's {@code
     * max_pool2d_with_indices} takes for each output element, as int64s in output order; with
     * {@code relu}, the element it takes when pooling libtorch's relu of the input.
     *
     * @param x the input's memory (direct)
     * @param out room for {@code planes * (h / k) * (w / k)} int64s (direct)
     */
    static void maxPoolIndices(ByteBuffer x, ByteBuffer out, long planes, int h, int w, int k, boolean relu) {
        maxPoolIndices(x, out, planes, h, w, k, relu, Isa.AVX2);
    }

    /**
     * {@link #maxPoolIndices} with AVX2 (2 x 2 windows; which needs {@link Isa#AVX2}) or SSE2 only:
     * the same indices either way, which the tests hold both to.
     */
    static void maxPoolIndices(ByteBuffer x, ByteBuffer out, long planes, int h, int w, int k, boolean relu, boolean avx2) {
        Lib.stride_max_pool_indices(x, out, planes, h, w, k, relu ? 1 : 0, avx2 ? 1 : 0);
    }

    /** Whether this CPU runs the fused SGD kernel (AVX2 and FMA, with the OS saving their registers). */
    public static boolean hasFma() {
        return Lib.stride_has_fma() != 0;
    }

    /**
     * torch.optim.SGD's update of one float32 parameter of {@code n} elements in one pass (its
     * memory, its gradient's and its momentum buffer's, direct views), with fused multiply-adds as
     * ATen's vectorised kernels ({@code fused}, which needs {@link #hasFma}) or with products rounded
     * first. The scalars as ATen has them: float32 of {@code -lr}, {@code momentum}, {@code 1 -
     * dampening} and {@code weight_decay}.
     */
    public static void sgd(boolean fused, ByteBuffer param, ByteBuffer grad, ByteBuffer buffer, long n, float negLr,
            float momentum, float keep, float weightDecay, boolean nesterov, boolean first) {
        int decay = weightDecay != 0f ? 1 : 0;
        int withMomentum = momentum != 0f ? 1 : 0;
        if (fused) {
            Lib.stride_sgd_fused(param, grad, buffer, n, negLr, momentum, keep, weightDecay, decay, withMomentum,
                    nesterov ? 1 : 0, first ? 1 : 0);
        } else {
            Lib.stride_sgd_plain(param, grad, buffer, n, negLr, momentum, keep, weightDecay, decay, withMomentum,
                    nesterov ? 1 : 0, first ? 1 : 0);
        }
    }

    /** Sets the floats of {@code x} (a direct view, from its position) to +0.0, as {@code grad.zero_()} does. */
    public static void zero(FloatBuffer x) {
        Lib.stride_zero(x.slice(), x.remaining());
    }

    /** Whether {@code choice} (the value of -Dstride.kernels) lets Stride's kernels run on this machine. */
    static boolean wanted(String choice, String os, String arch) {
        return !"libtorch".equals(choice) && os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** What to say about {@code choice} (the value of -Dstride.kernels), or null when it is a known one. */
    static String note(String choice) {
        return choice == null || choice.equals("stride") || choice.equals("libtorch") ? null
                : "-D" + PROPERTY + "=" + choice + " is neither stride nor libtorch: Stride's CPU kernels are used";
    }

    /** What this CPU runs, asked once (CPUID traps to the hypervisor in a VM). */
    static final class Isa {
        /** Whether this CPU and its OS run AVX2 instructions. */
        static final boolean AVX2 = Loaded.OK && Lib.stride_has_avx2() != 0;

        private Isa() {}
    }

    /** Loads the library once, at the first question; what went wrong is said by the first {@link #available()}. */
    private static final class Loaded {
        static final boolean OK;
        /** What to say at the first use, or null. */
        static final String NOTE;

        static {
            String choice = System.getProperty(PROPERTY);
            String note = note(choice);
            boolean ok = false;
            if (wanted(choice, System.getProperty("os.name"), System.getProperty("os.arch"))) {
                try {
                    Native.register(Lib.class, NativeFiles.open(RESOURCE, "stride-kernels-", Map.of()));
                    ok = true;
                } catch (RuntimeException | LinkageError e) {
                    note = "Stride's CPU kernels did not load (" + e.getMessage() + "): libtorch's own max pooling, SGD update and zero_grad are used";
                }
            }
            OK = ok;
            NOTE = note;
        }
    }

    /** The library's functions (JNA's direct mapping: registered as this class's native methods). */
    private static final class Lib {
        static native void stride_max_pool_indices(ByteBuffer x, ByteBuffer out, long planes, int h, int w, int k, int relu,
                int avx2);

        static native void stride_sgd_fused(ByteBuffer p, ByteBuffer g, ByteBuffer b, long n, float negLr, float m, float keep,
                float wd, int decay, int momentumOn, int nesterov, int first);

        static native void stride_sgd_plain(ByteBuffer p, ByteBuffer g, ByteBuffer b, long n, float negLr, float m, float keep,
                float wd, int decay, int momentumOn, int nesterov, int first);

        static native int stride_has_fma();

        static native int stride_has_avx2();

        static native void stride_zero(FloatBuffer x, long n);

        private Lib() {}
    }
}
