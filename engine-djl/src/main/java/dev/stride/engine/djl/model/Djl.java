package dev.stride.engine.djl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/** The DJL engine Stride uses (PyTorch) and the base manager every model and batch hangs off. */
public final class Djl {
    private static volatile NDManager base;
    /** What {@link NativeMemory} did, for the log. */
    private static final String MEMORY;
    /** What {@link MklKernels} did, for the log ("" when nothing applies). */
    private static final String MKL;

    /** DJL's system property for PyTorch's intra-op threads, read when the engine starts. */
    static final String THREADS = "ai.djl.pytorch.num_threads";

    static {
        // DJL calls home (cloud metadata, a telemetry request) when its engine starts, unless offline: Stride never
        // touches the network at run time, whoever launches it (./stride, an embedding program, the tests)
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty(THREADS) == null) {
            int threads = threadsFor(Runtime.getRuntime().availableProcessors());
            if (threads > 0) {
                System.setProperty(THREADS, String.valueOf(threads));
            }
        }
        MEMORY = NativeMemory.apply(System.getenv(), System.getProperty("stride.malloc"));
        MKL = MklKernels.apply(System.getProperty("stride.mkl"));
    }

    /**
     * PyTorch's intra-op threads for a machine of {@code cores}, or 0 to keep libtorch's default
     * (one per core). On 2 cores or fewer one thread: the JVM's own threads (JIT, GC, data loading)
     * would pre-empt a second one, and PyTorch's threads wait for each other at every op (measured
     * on 2 cores: 19.7k samples/s with 2 threads, 32.3k with 1; bench/RESULTS.md).
     */
    static int threadsFor(int cores) {
        return cores <= 2 ? 1 : 0;
    }

    /** What the engine runs with, for the first lines of a run's log: version, threads, and where they came from. */
    public static String describe() {
        Engine e = engine();
        String threads = System.getProperty(THREADS);
        int cores = Runtime.getRuntime().availableProcessors();
        return "PyTorch " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + "), " + (threads == null
                ? "libtorch's default intra-op threads for " + cores + " cores"
                : threads + " intra-op thread" + ("1".equals(threads) ? "" : "s") + " for " + cores + " cores (-D" + THREADS
                        + " sets it)") + "; malloc: " + MEMORY + (MKL.isEmpty() ? "" : "; " + MKL);
    }

    private Djl() {}

    /** The PyTorch engine, loaded on first use from the bundled native library. */
    public static Engine engine() {
        return Engine.getEngine("PyTorch");
    }

    /** The process-wide base manager; never closed. */
    public static NDManager manager() {
        NDManager m = base;
        if (m == null) {
            synchronized (Djl.class) {
                if (base == null) {
                    base = engine().newBaseManager();
                    // PyTorch keeps the gradient mode and the intra-op thread count per thread, and DJL sets them
                    // in the thread that loads the engine (off; the configured count): this thread, which makes
                    // the base manager and trains, may not be that one (the command line loads it ahead, on its
                    // preload thread)
                    JniUtils.setGradMode(false);
                    Integer threads = Integer.getInteger(THREADS);
                    if (threads != null && threads > 0) {
                        JniUtils.setNumThreads(threads);
                    }
                    org.slf4j.LoggerFactory.getLogger("stride").info("Engine: {}", describe());
                }
                m = base;
            }
        }
        return m;
    }

    /**
     * One backward pass of {@code loss} (nothing for null), computed with gradient recording on:
     * every tensor it comes from that requires a gradient gets that gradient added to its own.
     * Autograd is called as DJL's GradientCollector calls it (recording on, a pass from ones, the
     * mode restored), without taking DJL's one collector per process, so the warm-ups can run beside
     * the job's own first step.
     */
    public static void backward(Supplier<NDArray> loss) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray total = loss.get();
            if (total != null) {
                JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
            }
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /**
     * Runs {@code action} with PyTorch's gradient recording off (in-place parameter updates need
     * it off; the mode is per thread and on by default), then restores the previous mode.
     */
    public static void noGrad(Runnable action) {
        boolean was = JniUtils.isGradMode();
        if (was) {
            JniUtils.setGradMode(false);
        }
        try {
            action.run();
        } finally {
            if (was) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /** {@link #noGrad(Runnable)} returning a value. */
    public static <T> T noGrad(java.util.function.Supplier<T> action) {
        Object[] out = new Object[1];
        noGrad(() -> {
            out[0] = action.get();
        });
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    /**
     * The gist of an engine error for a user: PyTorch's own message (the last {@code ...Error: }
     * line of a TorchScript traceback), else the first line.
     */
    public static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int at = Math.max(m.lastIndexOf("RuntimeError: "), m.lastIndexOf("ValueError: "));
        if (at >= 0) {
            m = m.substring(at).replaceFirst("^\\w+Error: ", "");
        }
        return m.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse(m).trim();
    }

    /** Seeds the engine's random generator (initial weights, dropout). */
    public static void seed(long seed) {
        engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }
}
