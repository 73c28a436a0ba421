package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
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

/**
 * torch.optim.SGD's update of every parameter in one native call: its single-tensor loop written in
 * TorchScript ({@code sgd_step.pt}, made by {@code src/main/python/optim_steps.py}), so each
 * element goes through the ATen kernels torch.optim runs, with their rounding (fused multiply-adds
 * where torch adds with an {@code alpha}), and nothing of the step's arithmetic is left to the
 * JVM. Against the same update composed of DJL ops (6 calls and 3 temporaries per parameter) it
 * took the reference job from 26.5k to 31k samples/s (bench/RESULTS.md).
 */
final class SgdStep {
    private static volatile PtSymbolBlock module;

    private SgdStep() {}

    private static PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (SgdStep.class) {
                if (module == null) {
                    try (InputStream in = SgdStep.class.getResourceAsStream("sgd_step.pt")) {
                        if (in == null) {
                            throw new IllegalStateException("engine-djl's jar lacks dev/stride/engine/djl/optim/sgd_step.pt");
                        }
                        module = JniUtils.loadModule((PtNDManager) Djl.manager(), in, false, false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                m = module;
            }
        }
        return m;
    }

    /**
     * One step: {@code params[i]} and {@code momentumBuffers[i]} updated in place from
     * {@code grads[i]}, gradient recording off. {@code first}: the buffers start as the gradients
     * (torch's buffer is created at the first step).
     */
    static void run(List<NDArray> params, List<NDArray> grads, List<NDArray> momentumBuffers, double lr, double momentum,
            double dampening, double weightDecay, boolean nesterov, boolean first) {
        IValue[] in = {
            list(params), list(grads), list(momentumBuffers), IValue.from(lr), IValue.from(momentum), IValue.from(dampening),
            IValue.from(weightDecay), IValue.from(nesterov), IValue.from(first)
        };
        try (IValue done = module().forward(in)) {
            if (done.toLong() != params.size()) {
                throw new IllegalStateException("sgd_step updated " + done.toLong() + " of " + params.size() + " parameters");
            }
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        PtNDArray[] a = new PtNDArray[arrays.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (PtNDArray) arrays.get(i);
        }
        return IValue.listFrom(a);
    }
}
