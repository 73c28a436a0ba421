package dev.stride.engine.djl.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.typesafe.config.ConfigFactory;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.model.MlpProvider;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.engine.djl.data.SyntheticProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stride's optimizers do what torch.optim's do, step by step, and their whole state round-trips. */
class OptimizerTest {
    private final DataLoader data = new SyntheticProvider().create(ConfigFactory.parseString(
            "size = 16, shape = [3], num-classes = 2, batch-size = 16, prefetch = 0")
            .withFallback(ProviderRegistry.defaults(ProviderKind.DATASET, new SyntheticProvider())), Mode.TRAIN, 1);

    private DjlModel model() {
        MlpProvider p = new MlpProvider();
        return (DjlModel) p.create(ConfigFactory.parseString("hidden = [4]")
                .withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)), data.spec(), 3);
    }

    private void backward(DjlModel m) {
        try (BatchStream s = data.open(0, 0); Batch b = s.next()) {
            m.trainStep(b, 0);
        }
    }

    private static Map<String, float[]> values(DjlModel m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.trainableParameters().forEach((n, a) -> out.put(n, a.toFloatArray()));
        return out;
    }

    private static Map<String, float[]> grads(DjlModel m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.trainableParameters().forEach((n, a) -> {
            try (NDArray g = a.getGradient()) {
                out.put(n, g.toFloatArray());
            }
        });
        return out;
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-6 * Math.abs(expected[i]), "element " + i);
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesTorch() {
        for (boolean nesterov : new boolean[] {false, true}) {
            DjlModel m = model();
            Optimizer sgd = new Sgd(m, 0.1, 0.9, 0, 0.01, nesterov);
            Map<String, float[]> buf = new LinkedHashMap<>();
            for (int step = 0; step < 3; step++) {
                Map<String, float[]> w = values(m);
                backward(m);
                Map<String, float[]> g = grads(m);
                sgd.step();
                sgd.zeroGrad();
                for (String n : w.keySet()) {
                    float[] wi = w.get(n);
                    float[] gi = g.get(n);
                    float[] b = buf.computeIfAbsent(n, k -> null);
                    float[] nb = new float[wi.length];
                    float[] expect = new float[wi.length];
                    for (int i = 0; i < wi.length; i++) {
                        float d = gi[i] + 0.01f * wi[i];
                        nb[i] = b == null ? d : 0.9f * b[i] + d;
                        float upd = nesterov ? d + 0.9f * nb[i] : nb[i];
                        expect[i] = wi[i] - 0.1f * upd;
                    }
                    buf.put(n, nb);
                    assertClose(expect, values(m).get(n));
                }
            }
        }
    }

    @Test
    void adamMatchesTorchAndAdamWDecaysDecoupled() {
        for (boolean decoupled : new boolean[] {false, true}) {
            DjlModel m = model();
            Optimizer adam = new Adam(m, 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled);
            Map<String, double[][]> state = new LinkedHashMap<>();
            for (int t = 1; t <= 3; t++) {
                Map<String, float[]> w = values(m);
                backward(m);
                Map<String, float[]> g = grads(m);
                adam.step();
                adam.zeroGrad();
                for (String n : w.keySet()) {
                    float[] wi = w.get(n);
                    double[][] mv = state.computeIfAbsent(n, k -> new double[2][wi.length]);
                    float[] expect = new float[wi.length];
                    for (int i = 0; i < wi.length; i++) {
                        double grad = g.get(n)[i];
                        double wv = wi[i];
                        if (decoupled) {
                            wv *= 1 - 0.01 * 0.1;
                        } else {
                            grad += 0.1 * wi[i];
                        }
                        mv[0][i] = 0.9 * mv[0][i] + 0.1 * grad;
                        mv[1][i] = 0.999 * mv[1][i] + 0.001 * grad * grad;
                        double denom = Math.sqrt(mv[1][i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                        expect[i] = (float) (wv - 0.01 / (1 - Math.pow(0.9, t)) * mv[0][i] / denom);
                    }
                    float[] got = values(m).get(n);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expect[i], got[i], 2e-5, n + "[" + i + "] at step " + t + (decoupled ? " (adamw)" : ""));
                    }
                }
            }
        }
    }

    /** The parameters, their gradients and the optimizer's state, as a checkpoint holds them. */
    private static Checkpoint snapshot(DjlModel m, Optimizer opt) {
        Checkpoint ck = new Checkpoint();
        m.saveState(ck.section("model.", "model."));
        opt.saveState(ck.section("optimizer.", "optimizer."));
        opt.saveGradients(ck.section("grad.", "grad."));
        return ck;
    }

    @Test
    void theScriptWarmUpTouchesNothingReal() {
        DjlModel m = model();
        for (DjlOptimizer opt : new DjlOptimizer[] {new Sgd(m, 0.1, 0.9, 0, 0.01, true), new Adam(m, 0.01, 0.9, 0.999, 1e-8, 0.01, true)}) {
            backward(m);
            opt.step(); // state that is not zero
            backward(m);
            Checkpoint before = snapshot(m, opt);
            opt.rehearse();
            Checkpoint after = snapshot(m, opt);
            assertEquals(before.tensors().keySet(), after.tensors().keySet());
            before.tensors().forEach((name, t) -> assertTrue(t.contentEquals(after.tensors().get(name)), name));
            assertEquals(before.metadata(), after.metadata(), "the step count too");
        }
    }

    @Test
    void theWarmUpRunsWhileTheJobHoldsDjlsOnlyGradientCollector() {
        DjlModel m = model();
        DjlOptimizer sgd = new Sgd(m, 0.1, 0.9, 0, 0, false);
        // DJL allows one GradientCollector at a time in the process: the warm-up (on its own thread) must not need it
        try (ai.djl.training.GradientCollector held = dev.stride.engine.djl.model.Djl.engine().newGradientCollector()) {
            sgd.rehearse();
        }
    }

    @Test
    void stateAndGradientsRoundTripThroughACheckpoint() {
        DjlModel m = model();
        Optimizer adam = new Adam(m, 0.01, 0.9, 0.999, 1e-8, 0, false);
        backward(m);
        adam.step();
        adam.zeroGrad();
        backward(m);
        Checkpoint ck = new Checkpoint();
        adam.saveState(ck.section("optimizer.", "optimizer."));
        adam.saveGradients(ck.section("grad.", "grad."));
        assertTrue(ck.tensors().containsKey("optimizer.fc1.weight.exp_avg_sq"));
        assertEquals("1", ck.metadata().get("optimizer.steps"));

        DjlModel copy = model();
        Optimizer other = new Adam(copy, 0.5, 0.9, 0.999, 1e-8, 0, false);
        other.loadState(ck.section("optimizer.", "optimizer."));
        other.loadGradients(ck.section("grad.", "grad."));
        assertEquals(0.01, other.paramGroups().get(0).lr());
        Checkpoint again = new Checkpoint();
        other.saveState(again.section("optimizer.", "optimizer."));
        other.saveGradients(again.section("grad.", "grad."));
        ck.tensors().forEach((name, t) -> assertTrue(t.contentEquals(again.tensors().get(name)), name));
    }

    @Test
    void gradNormAndScaleActOnAllGradients() {
        DjlModel m = model();
        Optimizer sgd = new Sgd(m, 0.1, 0, 0, 0, false);
        backward(m);
        double sq = 0;
        for (float[] g : grads(m).values()) {
            for (float v : g) {
                sq += (double) v * v;
            }
        }
        assertEquals(Math.sqrt(sq), sgd.gradNorm(), 1e-5);
        sgd.scaleGrads(0.5);
        assertEquals(Math.sqrt(sq) / 2, sgd.gradNorm(), 1e-5);
        sgd.zeroGrad();
        assertEquals(0, sgd.gradNorm(), 0);
    }

    /** The engine's editGradients hands out the gradients' own memory: what is written there is the gradient. */
    @Test
    void editGradientsWritesIntoTheGradientsThemselves() {
        DjlModel m = model();
        Optimizer opt = new Sgd(m, 0.1, 0.9, 0, 0, false);
        backward(m);
        Map<String, float[]> before = grads(m);
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        opt.editGradients(views -> {
            for (java.nio.FloatBuffer v : views) {
                sizes.add(v.remaining());
                for (int i = v.position(); i < v.limit(); i++) {
                    v.put(i, v.get(i) * 3);
                }
            }
        });
        assertEquals(before.values().stream().map(g -> g.length).toList(), sizes, "one view per parameter, in the parameters' order");
        Map<String, float[]> after = grads(m);
        before.forEach((name, g) -> {
            float[] tripled = g.clone();
            for (int i = 0; i < tripled.length; i++) {
                tripled[i] *= 3;
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(tripled, after.get(name), name);
        });
    }
}
