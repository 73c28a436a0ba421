package dev.stride.engine.djl.model;

import dev.stride.engine.djl.optim.ScriptedStep;
import dev.stride.runner.api.internal.Preload;
import java.util.function.BooleanSupplier;

/**
 * Loads the PyTorch engine (libtorch's native library, about half a second), the optimizers'
 * TorchScript steps and the cross-entropy (about 90 ms, the cross-entropy warmed up) and Stride's
 * CPU kernels on the command line's background thread, while the config and the data are read.
 * The same calls every job makes first, so the job's own calls wait for these instead of loading
 * again. Logs nothing: the run's log file does not exist yet.
 */
public final class EnginePreload implements Preload {
    /** For {@link java.util.ServiceLoader}. */
    public EnginePreload() {}

    @Override
    public void run(BooleanSupplier exiting) {
        Djl.engine();
        ScriptedStep.loadAll(exiting);
        if (!exiting.getAsBoolean()) {
            NativeKernels.preload(); // 20-30 ms, else in the first step that pools
        }
    }
}
