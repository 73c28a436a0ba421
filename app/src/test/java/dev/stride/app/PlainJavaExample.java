package dev.stride.app;

import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.launcher.Stride;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The plain-Java example of the README, compiled and run by {@link PlainJavaExampleTest}. */
final class PlainJavaExample {
    private PlainJavaExample() {}

    static Path train(Path data, Path workDir) {
        // README-BEGIN
        Stride stride = Stride.load();                       // every provider on the module or class path
        long seed = 42;
        DataLoader train = stride.dataset("mnist-idx",
                Map.of("root", data.toString(), "split", "train", "batch-size", 64, "shuffle", true), Mode.TRAIN, seed);
        DataLoader val = stride.dataset("mnist-idx",
                Map.of("root", data.toString(), "split", "t10k", "batch-size", 500), Mode.VAL, seed);
        Model model = stride.model("mlp", Map.of("hidden", List.of(128)), train.spec(), seed);
        Optimizer sgd = stride.optimizer("sgd", Map.of("lr", 0.1, "momentum", 0.9), model);

        Runner runner = stride.runner("epoch", Map.of("max-epochs", 2), model, sgd, workDir, seed);
        runner.registerHook(stride.hook("optimizer", Map.of()), Priority.ABOVE_NORMAL);   // steps the optimizer
        runner.registerHook(stride.hook("text-logger", Map.of("interval", 50)), Priority.VERY_LOW);
        runner.registerHook(new Hook() {                     // your own code at any stage
            @Override
            public void afterValEpoch(Runner r) {
                System.out.printf("epoch %d: val accuracy %.4f%n", r.epoch(), r.logBuffer(Mode.VAL).average(0).get("accuracy"));
            }
        }, Priority.LOW);

        runner.run(Map.of(Mode.TRAIN, train, Mode.VAL, val), Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)));
        Path checkpoint = runner.saveCheckpoint(workDir);    // epoch_2.safetensors; runner.resume(checkpoint) continues it
        // README-END
        return checkpoint;
    }
}
