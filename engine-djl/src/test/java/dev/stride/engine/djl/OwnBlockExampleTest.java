package dev.stride.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.stride.launcher.Stride;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API walk-through of module-info-docs/guides/own-model.md, which quotes this test: it must keep working. */
class OwnBlockExampleTest {
    @TempDir
    Path workDir;

    @Test
    void aDjlBlockTrainsWithStridesRunnerHooksAndOptimizer() {
        String mnist = "../data/mnist-10k";
        // guide: begin
        Stride stride = Stride.load();
        DataLoader train = stride.dataset("mnist-idx", Map.of("root", mnist, "split", "train", "batch-size", 64,
                "shuffle", true, "limit", 2048), Mode.TRAIN, 42);
        DataLoader val = stride.dataset("mnist-idx", Map.of("root", mnist, "split", "t10k", "batch-size", 500),
                Mode.VAL, 42);

        // any DJL block: here a small CNN
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).optPadding(new Shape(1, 1)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
        DjlModel model = DjlModel.builder(net)
                .dataSpec(train.spec())                       // input shape [1, 28, 28], 10 classes
                .loss(Losses.softmaxCrossEntropy())           // the default for classes
                .metrics(Metric.accuracy(), Metric.topK(3))   // accuracy, accuracy_top3
                .seed(42)                                     // the initial weights
                .build();

        Optimizer sgd = stride.optimizer("sgd", Map.of("lr", 0.05, "momentum", 0.9), model);
        Runner runner = stride.runner("epoch", Map.of("max-epochs", 2), model, sgd, workDir, 42);
        runner.registerHook(stride.hook("optimizer", Map.of()), stride.priority("optimizer"));
        runner.registerHook(stride.hook("checkpoint", Map.of("save-best", "accuracy")), stride.priority("checkpoint"));
        runner.registerHook(stride.hook("text-logger", Map.of("interval", 10)), stride.priority("text-logger"));
        RunOutcome outcome = runner.run(Map.of(Mode.TRAIN, train, Mode.VAL, val),
                Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)));
        // guide: end
        assertEquals(RunOutcome.COMPLETED, outcome);
        Map<String, Double> metrics = runner.logBuffer(Mode.VAL).average(0);
        assertEquals(List.of("loss", "accuracy", "accuracy_top3"), List.copyOf(metrics.keySet()));
        assertTrue(metrics.get("accuracy") > 0.85, metrics.toString());
        model.close();
    }
}
