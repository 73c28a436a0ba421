package dev.stride.engine.djl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/** The DJL engine Stride uses (PyTorch) and the base manager every model and batch hangs off. */
public final class Djl {
    private static volatile NDManager base;

    static {
        // DJL calls home (cloud metadata, a telemetry request) when its engine starts, unless offline: Stride never
        // touches the network at run time, whoever launches it (./stride, an embedding program, the tests)
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
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
                }
                m = base;
            }
        }
        return m;
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
