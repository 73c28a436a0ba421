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
    private static String mklConfirmed;

    /** DJL's system property for PyTorch's intra-op threads, read when the engine starts. */
    static final String THREADS = "ai.djl.pytorch.num_threads";
    /** The intra-op threads the process was given ({@code -Dai.djl.pytorch.num_threads}), or null when Stride chose. */
    private static final String GIVEN_THREADS = System.getProperty(THREADS);
    /** Each thread's intra-op thread count as last set through {@link #useThreads} (0: not yet). */
    private static final ThreadLocal<int[]> THREADS_SET = ThreadLocal.withInitial(() -> new int[1]);

    static {
        // DJL calls home (cloud metadata, a telemetry request) when its engine starts, unless offline: Stride never
        // touches the network at run time, whoever launches it (./stride, an embedding program, the tests)
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (GIVEN_THREADS == null) {
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
     * on 2 cores: 19.7k samples/s with 2 threads, 32.3k with 1; bench/RESULTS.md). The engine's
     * count, and a model's without convolutions.
     */
    static int threadsFor(int cores) {
        return threadsFor(cores, false, null);
    }

    /**
     * PyTorch's intra-op threads for a model's steps, or 0 to leave the thread's count alone. On 2
     * cores or fewer a model with convolution kernels (a parameter of rank 3 or more) gets one thread
     * per core: convolutions and pooling split the batch's images between the threads with work
     * enough for each, where an MLP's small matrix products spend a second thread's gain waiting
     * for it (measured on 2 cores: LeNet 9.5-9.7k -> 13.1-13.3k samples/s with 2 threads, the MLP
     * 52.3k -> 41.9k; bench/RESULTS.md). A count given with {@code -Dai.djl.pytorch.num_threads}
     * holds for every model.
     *
     * @param given the count the process was given, or null
     */
    static int threadsFor(int cores, boolean convolutional, String given) {
        if (given != null) {
            try {
                return Math.max(0, Integer.parseInt(given.strip()));
            } catch (NumberFormatException e) {
                return 0; // DJL's own reading of the property decides
            }
        }
        return cores > 2 ? 0 : convolutional ? cores : 1;
    }

    /** {@link #threadsFor(int, boolean, String)} for this machine and process. */
    public static int threadsFor(boolean convolutional) {
        return threadsFor(Runtime.getRuntime().availableProcessors(), convolutional, GIVEN_THREADS);
    }

    /**
     * Gives the calling thread {@code threads} intra-op threads (nothing for 0). PyTorch keeps the
     * count per thread (OpenMP's and MKL's settings are the calling thread's), but a thread's first
     * parallel op resets it to the count last set by any thread: so the first call on a thread has
     * PyTorch do that first-use set-up (through {@code get_num_threads}) before setting its own. A
     * thread is set once per change, so a model calls this at every step for the price of a
     * thread-local read.
     */
    public static void useThreads(int threads) {
        if (threads > 0) {
            int[] set = THREADS_SET.get();
            if (set[0] != threads) {
                if (set[0] == 0) {
                    JniUtils.getNumThreads(); // PyTorch's lazy per-thread initialisation, now rather than at the first op
                }
                JniUtils.setNumThreads(threads);
                set[0] = threads;
            }
        }
    }

    /** What the engine runs with, for the first lines of a run's log: version, threads, and where they came from. */
    public static String describe() {
        Engine e = engine();
        String threads = System.getProperty(THREADS);
        int cores = Runtime.getRuntime().availableProcessors();
        int convolutional = threadsFor(cores, true, null);
        String convolutions = GIVEN_THREADS == null && convolutional != threadsFor(cores)
                ? ", " + convolutional + " for models with convolutions"
                : "";
        return "PyTorch " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + "), " + (threads == null
                ? "libtorch's default intra-op threads for " + cores + " cores"
                : threads + " intra-op thread" + ("1".equals(threads) ? "" : "s") + " for " + cores + " cores" + convolutions + " (-D"
                        + THREADS + " sets it)") + "; malloc: " + MEMORY + (MKL.isEmpty() ? "" : "; " + mkl());
    }

    /** {@link #MKL} as MKL in the loaded libtorch confirms it (asked once, 0.6 ms). */
    private static synchronized String mkl() {
        if (mklConfirmed == null) {
            mklConfirmed = MklKernels.confirm(MKL, MklKernels::loadedBranch);
        }
        return mklConfirmed;
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
                    if (threads != null) {
                        useThreads(threads);
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
