package dev.stride.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.stride.engine.djl.model.Djl;
import dev.stride.launcher.Stride;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API: any block becomes a model; metrics are exact over an epoch; regression runs through the hooks. */
class DjlModelTest {
    private static final Stride STRIDE = Stride.load();

    @TempDir
    Path tmp;

    private static SequentialBlock mlp(int out) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(16).build())
                .add(Activation.reluBlock()).add(Linear.builder().setUnits(out).build());
    }

    private static DjlBatch batch(float[] x, long[] labels, long... sample) {
        NDManager m = Djl.manager().newSubManager();
        long[] shape = new long[sample.length + 1];
        shape[0] = labels.length;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return new DjlBatch(m, m.create(x, new Shape(shape)), m.create(labels), labels.length);
    }

    @Test
    void anyBlockTrainsWithStridesOptimizerAndReportsItsMetrics() {
        DjlModel model = DjlModel.builder(mlp(3)).inputShape(2, 2).classes(List.of("cat", "dog", "owl"))
                .metrics(Metric.accuracy(), Metric.topK(2)).seed(4).build();
        assertEquals(List.of("cat", "dog", "owl"), model.dataSpec().classNames());
        assertEquals(4, model.trainableParameters().size());
        assertTrue(model.parameters().keySet().stream().allMatch(n -> n.matches("\\d\\dLinear_(weight|bias)")),
                model.parameters().keySet().toString());
        Optimizer adam = STRIDE.optimizer("adam", Map.of("lr", 0.05), model);
        float[] x = new float[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 % 11) / 11f;
        }
        long[] y = {0, 1, 2, 0, 1, 2};
        double first = 0;
        double last = 0;
        for (int s = 0; s < 30; s++) {
            try (DjlBatch b = batch(x, y, 2, 2)) {
                double l = model.trainStep(b, s).get("loss");
                first = s == 0 ? l : first;
                last = l;
            }
            adam.step();
            adam.zeroGrad();
        }
        assertTrue(last < first / 2, first + " -> " + last);
        try (DjlBatch b = batch(x, y, 2, 2)) {
            StepOutput out = model.valStep(b);
            assertEquals(List.of("loss", "accuracy", "accuracy_top2"), List.copyOf(out.scalars().keySet()));
            assertEquals(1.0, out.get("accuracy"));
            float[][] p = model.infer(b);
            assertEquals(1.0, p[0][0] + p[0][1] + p[0][2], 1e-6);
        }
        model.close();
    }

    @Test
    void aBinaryClassifierWithOneLogitUsesBceWithLogits() {
        DjlModel model = DjlModel.builder(mlp(1)).inputShape(2).classes(2).loss(Losses.bceWithLogits()).build();
        try (DjlBatch b = batch(new float[] {1, 2, -1, -2}, new long[] {1, 0}, 2)) {
            StepOutput out = model.valStep(b);
            assertTrue(Double.isFinite(out.get("loss")));
            float[][] p = model.infer(b);
            assertEquals(1.0, p[0][0] + p[0][1], 1e-6);
            assertEquals(2, model.predict(b).size());
        }
        model.close();
    }

    @Test
    void blocksThatDoNotFitTheTaskAreRefusedWithBothShapes() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> DjlModel.builder(mlp(4)).inputShape(3).classes(3).build());
        assertTrue(e.getMessage().contains("outputs [2, 4]") && e.getMessage().contains("needs [2, 3] (3 classes)"),
                e.getMessage());
        SequentialBlock conv = new SequentialBlock().add(ai.djl.nn.convolutional.Conv2d.builder().setFilters(2)
                .setKernelShape(new Shape(3, 3)).build());
        BadInputException s = assertThrows(BadInputException.class, () -> DjlModel.builder(conv).inputShape(5).classes(2).build());
        assertTrue(s.getMessage().contains("does not take samples of shape [5]"), s.getMessage());
        assertThrows(IllegalStateException.class, () -> DjlModel.builder(mlp(2)).classes(2).build());
    }

    @Test
    void epochMetricsAreExactOverUnevenBatchesNotAveragesOfBatchMetrics() {
        RegressionData data = new RegressionData(53, 3, 10, 8);
        Model model = STRIDE.model("mlp", Map.of("hidden", List.of(4)), data.spec(), 2);
        LogBuffer buffer = new LogBuffer(model::summarize);
        double se = 0;
        double ae = 0;
        double sy = 0;
        double syy = 0;
        int n = 0;
        try (BatchStream s = data.open(0, 0)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    buffer.update(model.valStep(b));
                    float[][] p = model.infer(b);
                    float[][] t = ((DjlModel) model).targets(b);
                    for (int i = 0; i < p.length; i++) {
                        double d = (double) p[i][0] - t[i][0]; // in double, as the metrics compute it
                        se += d * d;
                        ae += Math.abs(d);
                        sy += t[i][0];
                        syy += (double) t[i][0] * t[i][0];
                        n++;
                    }
                }
            }
        }
        Map<String, Double> m = buffer.average(0);
        assertEquals(List.of("loss", "mae", "rmse", "r2"), List.copyOf(m.keySet()), "statistics are replaced by the metrics");
        double mean = sy / n;
        // equal up to the rounding of (sum / n_batch) * n_batch in the sample-weighted average
        assertEquals(Math.sqrt(se / n), m.get("rmse"), 1e-9 * m.get("rmse"));
        assertEquals(ae / n, m.get("mae"), 1e-9 * m.get("mae"));
        assertEquals(1 - (se / n) / (syy / n - mean * mean), m.get("r2"), 1e-8);
        assertEquals(se / n, m.get("loss"), 1e-5, "MSE loss, float32");
        model.close();
    }

    @Test
    void regressionRunsThroughEvalSaveBestAndEarlyStopping() throws Exception {
        RegressionData train = new RegressionData(256, 4, 32, 1);
        RegressionData val = new RegressionData(64, 4, 25, 2);
        Model model = STRIDE.model("mlp", Map.of("hidden", List.of(16)), train.spec(), 3);
        Optimizer opt = STRIDE.optimizer("adam", Map.of("lr", 0.01), model);
        Runner runner = STRIDE.runner("epoch", Map.of("max-epochs", 40), model, opt, tmp, 5);
        runner.registerHook(STRIDE.hook("optimizer", Map.of()), STRIDE.priority("optimizer"));
        runner.registerHook(STRIDE.hook("eval", Map.of("save-best", "r2")), STRIDE.priority("eval"));
        runner.registerHook(STRIDE.hook("early-stopping", Map.of("monitor", "rmse", "patience", 3, "min-delta", 0.01)),
                STRIDE.priority("early-stopping"));
        RunOutcome outcome = runner.run(Map.of(Mode.TRAIN, train, Mode.VAL, val), Workflow.of(new Phase(Mode.TRAIN, 1)));
        Map<String, Double> last = runner.logBuffer(Mode.VAL).output();
        assertEquals(java.util.Set.of("loss", "mae", "rmse", "r2"), last.keySet());
        assertTrue(last.get("r2") > 0.9, last.toString());
        try (var files = Files.list(tmp)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("best_r2_epoch_")));
        }
        System.out.printf("regression: %s after %d epochs (%s)%n", last, runner.epoch(), outcome);
        model.close();
    }
}
