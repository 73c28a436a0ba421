package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stride.engine.djl.model.Djl;
import dev.stride.engine.djl.model.DjlTensors;
import dev.stride.engine.djl.model.NativeKernels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SGD update in one pass per parameter with Stride's native kernel ({@link NativeKernels#sgd}),
 * where it gives libtorch's bits: torch.optim's loop ({@link ScriptedStep#SGD}) makes five passes
 * over each parameter's memory and a temporary, 0.5 ms per step for the reference MLP's 235k
 * parameters. Which form of the kernel matches ATen here (fused multiply-adds, as its vectorised
 * kernels, or products rounded first) is not assumed: the first SGD of a process runs both the
 * script and the kernel on a probe (lengths around every vector width, with and without weight
 * decay, momentum, dampening and Nesterov, first and later steps) and keeps the first form that
 * gives the same bits everywhere, else the script. The probe (about 0.1 s, most of it the script's
 * first runs) is made by the optimizer's warm-up thread while the job gets ready, so the first
 * step finds the answer. {@code -Dstride.kernels=libtorch} keeps the script.
 */
final class SgdKernel {
    private static final Logger LOG = LoggerFactory.getLogger(SgdKernel.class);
    /** Lengths around the vector widths of SSE, AVX2 and AVX-512 (4, 8, 16 floats) and their unrolled loops. */
    private static final int[] PROBE_LENGTHS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129, 1000, 4099};
    /** The options probed: lr, momentum, dampening, weight decay, nesterov. */
    private static final double[][] PROBE_OPTIONS = {
        {0.1, 0.9, 0.0, 5e-4, 0}, {0.01, 0.9, 0.0, 1e-4, 1}, {0.03, 0.8, 0.1, 1e-3, 0}, {0.2, 0.0, 0.0, 0.0, 0},
    };

    /** The form that matches ATen here, decided once per process: null before the probe. */
    private static volatile Form chosen;

    enum Form {
        FUSED, PLAIN, SCRIPT
    }

    private SgdKernel() {}

    /** The form to update with on this machine; probes at the first call. */
    static Form form() {
        Form f = chosen;
        if (f == null) {
            synchronized (SgdKernel.class) {
                if (chosen == null) {
                    chosen = probe();
                }
                f = chosen;
            }
        }
        return NativeKernels.available() ? f : Form.SCRIPT;
    }

    private static Form probe() {
        if (!NativeKernels.available()) {
            return Form.SCRIPT;
        }
        long start = System.nanoTime();
        List<Form> candidates = NativeKernels.hasFma() ? List.of(Form.FUSED, Form.PLAIN) : List.of(Form.PLAIN);
        Form found = Form.SCRIPT;
        for (Form f : candidates) {
            if (matches(f)) {
                found = f;
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (found == Form.SCRIPT) {
            LOG.info("SGD: Stride's kernel does not give torch.optim's bits on this CPU, so torch.optim's loop updates (probe {} ms)",
                    millis);
        } else {
            LOG.debug("SGD update: Stride's kernel, {} (probe {} ms)", found, millis);
        }
        return found;
    }

    /** Whether {@code form} gives the script's bits for every probe length and option set, first and later steps. */
    static boolean matches(Form form) {
        for (double[] o : PROBE_OPTIONS) {
            for (boolean first : new boolean[] {true, false}) {
                if (!matches(form, o[0], o[1], o[2], o[3], o[4] != 0, first)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(Form form, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov, boolean first) {
        try (NDManager m = Djl.manager().newSubManager()) {
            List<NDArray> scriptParams = new ArrayList<>();
            List<NDArray> scriptBuffers = new ArrayList<>();
            List<float[][]> inputs = new ArrayList<>();
            int seed = 1;
            for (int n : PROBE_LENGTHS) {
                float[] p = values(n, seed++, 1f);
                float[] g = values(n, seed++, 0.01f);
                float[] b = values(n, seed++, 0.1f);
                inputs.add(new float[][] {p, g, b});
                scriptParams.add(withGradient(m, p, g));
                scriptBuffers.add(m.create(b));
            }
            Djl.noGrad(() -> Sgd.run(ScriptedStep.tensors(scriptParams), ScriptedStep.tensors(scriptBuffers), lr, momentum,
                    dampening, weightDecay, nesterov, first));
            for (int i = 0; i < inputs.size(); i++) {
                float[][] in = inputs.get(i);
                NDArray p = m.create(in[0]);
                NDArray g = m.create(in[1]);
                NDArray b = m.create(in[2]);
                apply(form == Form.FUSED, DjlTensors.view(p), DjlTensors.view(g), DjlTensors.view(b), in[0].length, lr, momentum,
                        dampening, weightDecay, nesterov, first);
                if (!Arrays.equals(p.toFloatArray(), scriptParams.get(i).toFloatArray())
                        || momentum != 0 && !Arrays.equals(b.toFloatArray(), scriptBuffers.get(i).toFloatArray())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A parameter holding {@code p} whose gradient is exactly {@code g} (the backward pass of sum(w * g)). */
    private static NDArray withGradient(NDManager m, float[] p, float[] g) {
        NDArray w = m.create(p);
        w.setRequiresGradient(true);
        NDArray grad = m.create(g);
        Djl.backward(() -> w.mul(grad).sum());
        return w;
    }

    /** n numbers of either sign spread over several binades, from an integer hash (no transcendental functions). */
    private static float[] values(int n, int seed, float scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int h = (i + 1) * 0x9E3779B1 ^ seed * 0x85EBCA77;
            h ^= h >>> 15;
            h *= 0x2C1B3C6D;
            h ^= h >>> 12;
            out[i] = scale * ((h & 0xFFFFF) - 0x80000) / (float) (1 << (12 + ((h >>> 20) & 7)));
        }
        return out;
    }

    /** One parameter's update by the kernel, the scalars converted as ATen converts them. */
    static void apply(boolean fused, ByteBuffer param, ByteBuffer grad, ByteBuffer buffer, long n, double lr, double momentum,
            double dampening, double weightDecay, boolean nesterov, boolean first) {
        NativeKernels.sgd(fused, param, grad, buffer, n, (float) -lr, (float) momentum, (float) (1.0 - dampening),
                (float) weightDecay, nesterov, first);
    }

    /** For tests: the probe's verdict for {@code form} on this machine. */
    static boolean probeSays(Form form) {
        return form == Form.SCRIPT || matches(form);
    }
}
