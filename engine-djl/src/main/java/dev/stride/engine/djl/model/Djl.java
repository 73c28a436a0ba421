package dev.stride.engine.djl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** The DJL engine Stride uses (PyTorch) and the base manager every model and batch hangs off. */
public final class Djl {
    private static volatile NDManager base;

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

    /** Seeds the engine's random generator (initial weights, dropout). */
    public static void seed(long seed) {
        engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }
}
