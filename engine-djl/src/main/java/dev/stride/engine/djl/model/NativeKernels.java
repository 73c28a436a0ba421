package dev.stride.engine.djl.model;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
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
final class NativeKernels {
    static final String RESOURCE = "/dev/stride/engine/djl/native/linux-x86-64/libstride_kernels.so";
    static final String PROPERTY = "stride.kernels";
    private static final Logger LOG = LoggerFactory.getLogger(NativeKernels.class);

    private NativeKernels() {}

    /** Whether the kernels are there to call ({@code -Dstride.kernels=libtorch}, set at any time, turns them off). */
    static boolean available() {
        return Loaded.OK && !"libtorch".equals(System.getProperty(PROPERTY));
    }

    /**
     * Writes, for max pooling with a k x k window and stride k over {@code planes} contiguous h x w
     * float planes, the index within its plane of the element libtorch's {@code
     * max_pool2d_with_indices} takes for each output element, as int64s in output order.
     *
     * @param x the input's memory (direct)
     * @param out room for {@code planes * (h / k) * (w / k)} int64s (direct)
     */
    static void maxPoolIndices(ByteBuffer x, ByteBuffer out, long planes, int h, int w, int k) {
        Lib.stride_max_pool_indices(x, out, planes, h, w, k);
    }

    /** Whether {@code choice} (the value of -Dstride.kernels) lets Stride's kernels run on this machine. */
    static boolean wanted(String choice, String os, String arch) {
        if ("libtorch".equals(choice)) {
            return false;
        }
        if (choice != null && !choice.equals("stride")) {
            LOG.warn("-D{}={} is neither stride nor libtorch: Stride's CPU kernels are used", PROPERTY, choice);
        }
        return os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** Loads the library once, at the first question. */
    private static final class Loaded {
        static final boolean OK = load();

        private static boolean load() {
            if (!wanted(System.getProperty(PROPERTY), System.getProperty("os.name"), System.getProperty("os.arch"))) {
                return false;
            }
            try {
                Native.register(Lib.class, NativeFiles.open(RESOURCE, "stride-kernels-", Map.of()));
                return true;
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Stride's CPU kernels did not load ({}): libtorch's max pooling is used", e.getMessage());
                return false;
            }
        }
    }

    /** The library's functions (JNA's direct mapping: registered as this class's native methods). */
    private static final class Lib {
        static native void stride_max_pool_indices(ByteBuffer x, ByteBuffer out, long planes, int h, int w, int k);

        private Lib() {}
    }
}
