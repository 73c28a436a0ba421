package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import dev.stride.engine.djl.model.Djl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A torch.optim update of every parameter in one native call: torch.optim's single-tensor loop
 * written in TorchScript ({@code sgd_step.pt}, {@code adam_step.pt}, and {@code zero_grad.pt} for
 * {@code zero_grad()}, made by {@code src/main/python/optim_steps.py}). The script reads each
 * gradient where autograd left it ({@code param.grad}; a parameter without one is skipped, as
 * torch.optim does), so no gradient handle crosses JNI, and each element goes through the ATen
 * kernels torch.optim runs, with their rounding (fused multiply-adds where torch adds with an
 * {@code alpha}, {@code addcmul}, {@code addcdiv}), and none of the step's arithmetic is left to
 * the JVM. Against the same SGD update composed of DJL ops (6 calls and 3 temporaries per
 * parameter) it took the plain DJL loop of the reference job from 23.9k-28.5k to 29.6k-32.6k
 * samples/s (bench/RESULTS.md).
 */
public final class ScriptedStep {
    static final ScriptedStep SGD = new ScriptedStep("sgd_step.pt");
    static final ScriptedStep ADAM = new ScriptedStep("adam_step.pt");
    static final ScriptedStep ZERO_GRAD = new ScriptedStep("zero_grad.pt");

    private final String resource;
    private volatile PtSymbolBlock module;

    private ScriptedStep(String resource) {
        this.resource = resource;
    }

    private PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (this) {
                if (module == null) {
                    try (InputStream in = ScriptedStep.class.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new IllegalStateException("engine-djl's jar lacks dev/stride/engine/djl/optim/" + resource);
                        }
                        module = JniUtils.loadModule((PtNDManager) Scripts.MANAGER, in, false, false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                m = module;
            }
        }
        return m;
    }

    /** The manager the scripts hang off: their own, so loading them early neither needs nor logs the job's engine line. */
    private static final class Scripts {
        static final NDManager MANAGER = Djl.engine().newBaseManager();
    }

    /**
     * Loads every script now (about 20-40 ms each) instead of at the first step: the command
     * line's preload thread does it while the job reads its data. Stops early once {@code stop}
     * says so.
     */
    public static void loadAll(BooleanSupplier stop) {
        for (ScriptedStep s : new ScriptedStep[] {ZERO_GRAD, SGD, ADAM}) {
            if (stop.getAsBoolean()) {
                return;
            }
            s.module();
        }
    }

    /**
     * Runs the script on {@code inputs} (closed afterwards), gradient recording off; returns how
     * many parameters it updated (those with a gradient).
     */
    long run(IValue... inputs) {
        try (IValue done = module().forward(inputs)) {
            return done.toLong();
        } finally {
            for (IValue v : inputs) {
                v.close();
            }
        }
    }

    /** A TorchScript {@code List[Tensor]} of {@code arrays}, sharing their memory. */
    static IValue tensors(List<NDArray> arrays) {
        PtNDArray[] a = new PtNDArray[arrays.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (PtNDArray) arrays.get(i);
        }
        return IValue.listFrom(a);
    }
}
