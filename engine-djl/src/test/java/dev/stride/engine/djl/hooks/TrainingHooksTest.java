package dev.stride.engine.djl.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.engine.djl.DjlModel;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.Workflow;
import dev.stride.launcher.Stride;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation, clipping and EMA with real DJL models, the real optimizer hook and a
 * real epoch runner.
 */
class TrainingHooksTest {
    private static final Stride STRIDE = Stride.load();

    @TempDir
    Path tmp;

    private final Map<Runner, DataLoader> loaders = new HashMap<>();

    /** An epoch runner over synthetic data, an MLP and the optimizer hook with {@code hook} options. */
    private Runner runner(int size, int batch, int epochs, double dropout, String opt, Map<String, Object> hook, Path work) {
        DataLoader data = STRIDE.dataset("synthetic", Map.of("size", size, "shape", List.of(5), "num-classes", 3,
                "batch-size", batch, "prefetch", 0, "seed", 4), Mode.TRAIN, 1);
        Model model = STRIDE.model("mlp", Map.of("hidden", List.of(6), "dropout", dropout), data.spec(), 7);
        Map<String, Object> optOptions = opt.equals("sgd") ? Map.of("lr", 0.05, "momentum", 0.9) : Map.of("lr", 0.05);
        Optimizer optimizer = STRIDE.optimizer(opt, optOptions, model);
        Runner runner = STRIDE.runner("epoch", Map.of("max-epochs", epochs), model, optimizer, work, 3);
        runner.registerHook(STRIDE.hook("optimizer", hook), STRIDE.priority("optimizer"));
        loaders.put(runner, data);
        return runner;
    }

    private RunOutcome run(Runner r) {
        return r.run(Map.of(Mode.TRAIN, loaders.get(r)), Workflow.of(new Phase(Mode.TRAIN, 1)));
    }

    private static Map<String, float[]> params(Runner r) {
        Map<String, float[]> out = new HashMap<>();
        ((DjlModel) r.model()).parameters().forEach((n, a) -> out.put(n, a.toFloatArray()));
        return out;
    }

    private static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        double max = 0;
        for (String n : a.keySet()) {
            for (int i = 0; i < a.get(n).length; i++) {
                max = Math.max(max, Math.abs(a.get(n)[i] - b.get(n)[i]));
            }
        }
        return max;
    }

    @Test
    void threeAccumulatedBatchesOfOneEqualOneBatchOfThree() {
        // 9 samples, 2 epochs: chunks of 3 never straddle an epoch; 10 samples, 1 epoch: the last
        // iteration is MMCV's remainder, averaged over 1, like the last batch (of 1) of the big run
        for (int[] c : new int[][] {{9, 2}, {10, 1}}) {
            Runner small = runner(c[0], 1, c[1], 0, "sgd", Map.of("cumulative-iters", 3), tmp.resolve("a" + c[0]));
            Runner big = runner(c[0], 3, c[1], 0, "sgd", Map.of(), tmp.resolve("b" + c[0]));
            run(small);
            run(big);
            double diff = maxDiff(params(small), params(big));
            assertTrue(diff <= 1e-6, c[0] + " samples: max difference " + diff);
        }
    }

    @Test
    void withoutTheRemainderRuleTheLastStepWouldDiffer() {
        // negative control: 10 samples accumulated by 3 over 2 epochs straddle epochs, unlike batches of 3
        Runner small = runner(10, 1, 2, 0, "sgd", Map.of("cumulative-iters", 3), tmp.resolve("c"));
        Runner big = runner(10, 3, 2, 0, "sgd", Map.of(), tmp.resolve("d"));
        run(small);
        run(big);
        assertTrue(maxDiff(params(small), params(big)) > 1e-3);
    }

    @Test
    void aResumeInsideAnAccumulationIsExact() {
        Map<String, Object> hook = Map.of("cumulative-iters", 3);
        Runner straight = runner(10, 1, 2, 0.3, "adam", hook, tmp.resolve("s"));
        run(straight);

        Path work = tmp.resolve("r");
        Runner first = runner(10, 1, 2, 0.3, "adam", hook, work);
        first.registerHook(new Hook() {
            @Override
            public void afterTrainIter(Runner r) {
                if (r.iter() == 4) {
                    r.interrupt("test");
                }
            }
        }, 90);
        assertEquals(RunOutcome.INTERRUPTED, run(first));
        Checkpoint saved = dev.stride.runner.api.checkpoint.CheckpointFiles.read(work.resolve("iter_5.safetensors"));
        assertEquals("true", saved.metadata().get("hook.optimizer.pending"), "two gradients were accumulated");

        Runner second = runner(10, 1, 2, 0.3, "adam", hook, work);
        second.resume(work.resolve("iter_5.safetensors"));
        assertEquals(RunOutcome.COMPLETED, run(second));
        assertEquals(0.0, maxDiff(params(straight), params(second)), "bit-exact");
    }

    @Test
    void clippingBoundsTheGlobalNormAndLogsTheUnclippedOne() {
        Runner r = runner(6, 6, 1, 0, "sgd", Map.of("grad-clip", Map.of("max-norm", 0.01)), tmp.resolve("clip"));
        Map<String, float[]> before = new HashMap<>();
        r.registerHook(new Hook() {
            @Override
            public void beforeTrainIter(Runner runner) {
                before.clear();
                before.putAll(params(runner));
            }
        }, 0);
        double[] logged = new double[1];
        double[] moved = new double[1];
        r.registerHook(new Hook() {
            @Override
            public void afterTrainIter(Runner runner) {
                logged[0] = runner.logBuffer(Mode.TRAIN).latest("grad_norm");
                if (runner.iter() == 0) {
                    double sq = 0;
                    Map<String, float[]> after = params(runner);
                    for (String n : after.keySet()) {
                        for (int i = 0; i < after.get(n).length; i++) {
                            double d = (before.get(n)[i] - after.get(n)[i]) / 0.05;
                            sq += d * d;
                        }
                    }
                    moved[0] = Math.sqrt(sq);
                }
            }
        }, 95);
        run(r);
        assertTrue(logged[0] > 0.01, "the unclipped norm is logged: " + logged[0]);
        assertEquals(0.01, moved[0], 1e-5, "the first SGD step moved by lr * clipped gradient");
    }

    @Test
    void emaFollowsMmcvsFormulaAndIsSwappedInForValidation() {
        DataLoader data = STRIDE.dataset("synthetic", Map.of("size", 8, "shape", List.of(4), "num-classes", 2,
                "batch-size", 4, "prefetch", 0), Mode.TRAIN, 1);
        Model model = STRIDE.model("mlp", Map.of("hidden", List.of(3)), data.spec(), 7);
        Optimizer sgd = STRIDE.optimizer("sgd", Map.of("lr", 0.1), model);
        Runner r = STRIDE.runner("epoch", Map.of("max-epochs", 2), model, sgd, tmp.resolve("ema"), 3);
        r.registerHook(STRIDE.hook("optimizer", Map.of()), STRIDE.priority("optimizer"));
        EmaHook ema = (EmaHook) STRIDE.hook("ema", Map.of("momentum", 0.5, "warm-up", 0));
        r.registerHook(ema, STRIDE.priority("ema"));
        Map<String, float[]> expected = new HashMap<>();
        Map<String, float[]> seenInVal = new HashMap<>();
        r.registerHook(new Hook() {
            @Override
            public void beforeRun(Runner runner) {
                expected.putAll(params(runner));
            }

            @Override
            public void afterTrainIter(Runner runner) {
                // after the optimizer (40) and ema (49) hooks: ema = 0.5 ema + 0.5 w
                Map<String, float[]> w = params(runner);
                w.forEach((n, v) -> {
                    float[] e = expected.get(n);
                    for (int i = 0; i < v.length; i++) {
                        e[i] = 0.5f * e[i] + 0.5f * v[i];
                    }
                });
                ema.shadows().forEach((n, s) -> {
                    float[] got = s.toFloatArray();
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expected.get(n)[i], got[i], 1e-6);
                    }
                });
            }

            @Override
            public void beforeValEpoch(Runner runner) {
                seenInVal.putAll(params(runner));
            }
        }, 60);
        DataLoader val = data;
        r.run(Map.of(Mode.TRAIN, data, Mode.VAL, val), Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)));
        assertTrue(maxDiff(expected, seenInVal) < 1e-6, "the val epoch ran on the averages");
        Checkpoint ck = r.checkpoint();
        Tensor t = ck.tensors().get("ema.fc1.weight");
        assertTrue(t != null, "the averages are saved: " + ck.tensors().keySet());
        assertEquals("false", ck.metadata().get("hook.ema.swapped"), "swapped back after the run");
    }

    @Test
    void emaAveragesResumeExactly() {
        Map<String, Object> ema = Map.of("momentum", 0.3, "warm-up", 2);
        Runner straight = runner(10, 2, 2, 0.2, "adam", Map.of(), tmp.resolve("es"));
        EmaHook a = (EmaHook) STRIDE.hook("ema", ema);
        straight.registerHook(a, STRIDE.priority("ema"));
        run(straight);

        Path work = tmp.resolve("er");
        Runner first = runner(10, 2, 2, 0.2, "adam", Map.of(), work);
        first.registerHook(STRIDE.hook("ema", ema), STRIDE.priority("ema"));
        first.registerHook(new Hook() {
            @Override
            public void afterTrainIter(Runner r) {
                if (r.iter() == 6) {
                    r.interrupt("test");
                }
            }
        }, 90);
        run(first);
        Runner second = runner(10, 2, 2, 0.2, "adam", Map.of(), work);
        EmaHook b = (EmaHook) STRIDE.hook("ema", ema);
        second.registerHook(b, STRIDE.priority("ema"));
        second.resume(work.resolve("iter_7.safetensors"));
        run(second);
        a.shadows().forEach((n, s) -> assertTrue(java.util.Arrays.equals(s.toFloatArray(), b.shadows().get(n).toFloatArray()), n));
        assertEquals(0.0, maxDiff(params(straight), params(second)));
    }

    @Test
    void emaUpdatesOnlyEveryIntervalIterations() {
        DataLoader data = STRIDE.dataset("synthetic", Map.of("size", 12, "shape", List.of(4), "num-classes", 2,
                "batch-size", 2, "prefetch", 0), Mode.TRAIN, 1);
        Model model = STRIDE.model("mlp", Map.of("hidden", List.of(3)), data.spec(), 7);
        Runner r = STRIDE.runner("epoch", Map.of("max-epochs", 1), model,
                STRIDE.optimizer("sgd", Map.of("lr", 0.1), model), tmp.resolve("ema-interval"), 3);
        r.registerHook(STRIDE.hook("optimizer", Map.of()), STRIDE.priority("optimizer"));
        EmaHook ema = (EmaHook) STRIDE.hook("ema", Map.of("momentum", 0.5, "warm-up", 0, "interval", 3,
                "evaluate-with-ema", false));
        r.registerHook(ema, STRIDE.priority("ema"));
        List<Long> changedAt = new java.util.ArrayList<>();
        Map<String, float[]> last = new HashMap<>();
        r.registerHook(new Hook() {
            @Override
            public void afterTrainIter(Runner runner) {
                float[] now = ema.shadows().get("fc1.weight").toFloatArray();
                float[] before = last.put("s", now);
                if (before != null && !java.util.Arrays.equals(before, now)) {
                    changedAt.add(runner.iter());
                }
            }
        }, 60);
        r.run(Map.of(Mode.TRAIN, data), Workflow.of(new Phase(Mode.TRAIN, 1)));
        assertEquals(List.of(3L), changedAt, "iterations 0..5: MMCV updates when iter % interval == 0 (0 and 3; 0 is the first seen)");
    }
}
