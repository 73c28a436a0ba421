package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
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
 * {@code zero_grad()}, made by {@code src/main/python/optim_steps.py}; the same script writes
 * {@code cross_entropy.pt}, torch's fused cross-entropy, which {@link #crossEntropy} runs). The script reads each
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
    private static final ScriptedStep CROSS_ENTROPY = new ScriptedStep("cross_entropy.pt");

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
        for (ScriptedStep s : new ScriptedStep[] {CROSS_ENTROPY, ZERO_GRAD, SGD, ADAM}) {
            if (stop.getAsBoolean()) {
                return;
            }
            s.module();
        }
        if (!stop.getAsBoolean()) {
            warmCrossEntropy();
        }
    }

    /**
     * {@code torch.nn.functional.cross_entropy(logits, labels)}: logits {@code [n, classes]} float,
     * labels {@code [n]} int64; the mean over the batch as a scalar tensor. Gradients are recorded
     * when the calling thread records them (in a train step), not otherwise.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return IValueUtils.forward(CROSS_ENTROPY.module(), new NDList(logits, labels), JniUtils.isGradMode()).singletonOrThrow();
    }

    /**
     * TorchScript runs a script instrumented the first time and optimises it the second (47 ms for the
     * cross-entropy's first call): done on stand-ins, twice with a backward pass and once without
     * gradients, by the command line's preload thread, so a job's first loss finds the optimised plan.
     */
    static void warmCrossEntropy() {
        try (NDManager m = Scripts.MANAGER.newSubManager()) {
            for (int i = 0; i < 2; i++) {
                NDArray logits = m.zeros(new Shape(2, 3));
                logits.setRequiresGradient(true);
                Djl.backward(() -> crossEntropy(logits, m.create(new long[] {0, 2})));
            }
            // and as val steps call it
            Djl.noGrad(() -> crossEntropy(m.zeros(new Shape(2, 3)), m.create(new long[] {0, 2})));
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
