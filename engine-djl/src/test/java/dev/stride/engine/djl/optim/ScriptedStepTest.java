package dev.stride.engine.djl.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.IValue;
import ai.djl.training.GradientCollector;
import dev.stride.engine.djl.model.Djl;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TorchScript steps are torch.optim's loops: checked against torch.optim's arithmetic written
 * out element by element with ATen's roundings (its {@code add(x, alpha)} and {@code addcmul} are
 * fused multiply-adds, {@code addcdiv} is {@code self + (value * a) / b}, {@code mul_}, plain
 * {@code add_} and division by a scalar round once; Python floats are cast to float), which matched
 * torch 1.13's optimizers bit for bit on 1,003 of 1,003 elements. SGD and Adam's moments match to
 * the bit; Adam's weights to the bit but for a few elements, within 1e-5, which libtorch's
 * vectorised square root, division and addcdiv round otherwise than the scalar formula.
 */
class ScriptedStepTest {
    /** Parameter sizes: vector bodies and scalar tails. */
    private static final int[] SIZES = {1, 7, 1000, 4099};

    /** torch.optim.SGD (maximize off) on one element; returns {w, buf}. */
    static float[] torchSgd(float w, float g, float buf, double lr, double m, double damp, double wd, boolean nesterov,
            boolean first) {
        float d = wd != 0 ? Math.fma(w, (float) wd, g) : g;
        if (m != 0) {
            buf = first ? d : Math.fma(d, (float) (1 - damp), buf * (float) m);
            d = nesterov ? Math.fma(buf, (float) m, d) : buf;
        }
        return new float[] {Math.fma(d, (float) -lr, w), buf};
    }

    /** torch 1.13's Adam / AdamW (amsgrad and maximize off) on one element at step t; returns {w, m, v}. */
    static float[] torchAdam(float w, float g, float m, float v, long t, double lr, double b1, double b2, double eps, double wd,
            boolean decoupled) {
        if (wd != 0) {
            if (decoupled) {
                w = w * (float) (1 - lr * wd);
            } else {
                g = Math.fma(w, (float) wd, g);
            }
        }
        m = Math.fma(g, (float) (1 - b1), m * (float) b1);
        v = Math.fma((float) (1 - b2) * g, g, v * (float) b2);
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        float denom = (float) Math.sqrt(v) / (float) Math.sqrt(bc2) + (float) eps;
        return new float[] {w + ((float) (-(lr / bc1)) * m) / denom, m, v};
    }

    @ParameterizedTest(name = "lr {0}, momentum {1}, dampening {2}, weight decay {3}, nesterov {4}")
    @CsvSource({
        "0.1, 0.9, 0, 1e-4, false",
        "0.1, 0, 0, 0, false",
        "0.03, 0.9, 0, 5e-4, true",
        "0.05, 0.8, 0.1, 1e-3, false",
    })
    void sgdIsTorchOptimsToTheBit(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        Random r = new Random(7);
        try (NDManager nd = Djl.manager().newSubManager()) {
            float[][] w = new float[SIZES.length][];
            float[][] buf = new float[SIZES.length][];
            List<NDArray> ws = new ArrayList<>();
            List<NDArray> bufs = new ArrayList<>();
            for (int p = 0; p < SIZES.length; p++) {
                w[p] = random(r, SIZES[p]);
                buf[p] = new float[SIZES[p]];
                ws.add(parameter(nd, w[p]));
                bufs.add(nd.zeros(new Shape(SIZES[p])));
            }
            for (int step = 1; step <= 4; step++) {
                double stepLr = step == 4 ? lr * 0.1 : lr; // an lr change on the way
                float[][] g = setGradients(nd, r, ws);
                long updated = ScriptedStep.SGD.run(ScriptedStep.tensors(ws), ScriptedStep.tensors(bufs), IValue.from(stepLr),
                        IValue.from(momentum), IValue.from(dampening), IValue.from(weightDecay), IValue.from(nesterov),
                        IValue.from(step == 1));
                assertEquals(SIZES.length, updated, "the parameters with a gradient");
                for (int p = 0; p < SIZES.length; p++) {
                    for (int i = 0; i < SIZES[p]; i++) {
                        float[] want = torchSgd(w[p][i], g[p][i], buf[p][i], stepLr, momentum, dampening, weightDecay, nesterov,
                                step == 1);
                        w[p][i] = want[0];
                        buf[p][i] = want[1];
                    }
                    assertBitwise(w[p], ws.get(p).toFloatArray(), "weights of parameter " + p + " after step " + step);
                    if (momentum != 0) {
                        assertBitwise(buf[p], bufs.get(p).toFloatArray(), "momentum of parameter " + p + " after step " + step);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "lr {0}, betas {1} {2}, eps {3}, weight decay {4}, decoupled {5}")
    @CsvSource({
        "0.001, 0.9, 0.999, 1e-8, 0, false",
        "0.01, 0.9, 0.999, 1e-8, 1e-2, false",
        "0.001, 0.8, 0.99, 1e-6, 1e-2, true",
    })
    void adamIsTorchOptimsToTheBit(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        Random r = new Random(11);
        try (NDManager nd = Djl.manager().newSubManager()) {
            float[][] w = new float[SIZES.length][];
            float[][] m = new float[SIZES.length][];
            float[][] v = new float[SIZES.length][];
            List<NDArray> ws = new ArrayList<>();
            List<NDArray> ms = new ArrayList<>();
            List<NDArray> vs = new ArrayList<>();
            for (int p = 0; p < SIZES.length; p++) {
                w[p] = random(r, SIZES[p]);
                m[p] = new float[SIZES[p]];
                v[p] = new float[SIZES[p]];
                ws.add(parameter(nd, w[p]));
                ms.add(nd.zeros(new Shape(SIZES[p])));
                vs.add(nd.zeros(new Shape(SIZES[p])));
            }
            for (long step = 1; step <= 4; step++) {
                float[][] g = setGradients(nd, r, ws);
                assertEquals(SIZES.length, ScriptedStep.ADAM.run(ScriptedStep.tensors(ws), ScriptedStep.tensors(ms),
                        ScriptedStep.tensors(vs), IValue.from(step), IValue.from(lr), IValue.from(beta1), IValue.from(beta2),
                        IValue.from(eps), IValue.from(weightDecay), IValue.from(decoupled)));
                for (int p = 0; p < SIZES.length; p++) {
                    for (int i = 0; i < SIZES[p]; i++) {
                        float[] want = torchAdam(w[p][i], g[p][i], m[p][i], v[p][i], step, lr, beta1, beta2, eps, weightDecay,
                                decoupled);
                        w[p][i] = want[0];
                        m[p][i] = want[1];
                        v[p][i] = want[2];
                    }
                    assertBitwise(m[p], ms.get(p).toFloatArray(), "exp_avg of parameter " + p + " after step " + step);
                    assertBitwise(v[p], vs.get(p).toFloatArray(), "exp_avg_sq of parameter " + p + " after step " + step);
                    // libtorch's vectorised square root, division and addcdiv round a few elements otherwise than
                    // the scalar formula; the weights then carry on from libtorch's values
                    float[] got = ws.get(p).toFloatArray();
                    assertNearlyBitwise(w[p], got, "weights of parameter " + p + " after step " + step);
                    w[p] = got;
                }
            }
        }
    }

    /**
     * Every element to the bit but a few (at most 2%), and those within 1e-5 of their magnitude (the
     * cross-check's tolerance against torch.optim itself, PyTorchCrossCheckIT).
     */
    private static void assertNearlyBitwise(float[] want, float[] got, String what) {
        int off = 0;
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                off++;
                assertEquals(want[i], got[i], 1e-5 * Math.abs(want[i]), what + ", element " + i);
            }
        }
        assertTrue(off <= want.length / 50, what + ": " + off + " of " + want.length + " elements differ");
    }

    /** A parameter: a leaf tensor that records gradients, with a zero gradient (as DjlOptimizer gives them). */
    private static NDArray parameter(NDManager nd, float[] values) {
        NDArray w = nd.create(values.clone(), new Shape(values.length));
        w.setRequiresGradient(true);
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            gc.backward(w.mul(0).sum());
        }
        return w;
    }

    /**
     * Zeroes the gradients with the zero_grad script, then sets the first {@link #SIZES}.length
     * parameters' gradients to new random values g, as a backward pass leaves them: d/dw sum(w * g)
     * is g, added to the zero. Returns the values.
     */
    private static float[][] setGradients(NDManager nd, Random r, List<NDArray> ws) {
        assertEquals(ws.size(), ScriptedStep.ZERO_GRAD.run(ScriptedStep.tensors(ws)), "zero_grad zeroes every gradient");
        float[][] values = new float[SIZES.length][];
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            NDArray total = null;
            for (int p = 0; p < SIZES.length; p++) {
                values[p] = random(r, SIZES[p]);
                NDArray term = ws.get(p).mul(nd.create(values[p], new Shape(SIZES[p]))).sum();
                total = total == null ? term : total.add(term);
            }
            gc.backward(total);
        }
        for (int p = 0; p < SIZES.length; p++) {
            try (NDArray grad = ws.get(p).getGradient()) {
                assertBitwise(values[p], grad.toFloatArray(), "the gradient set for parameter " + p + " after zero_grad");
            }
        }
        return values;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static void assertBitwise(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                assertEquals(want[i], got[i], 0f, what + ", element " + i);
            }
        }
    }
}
