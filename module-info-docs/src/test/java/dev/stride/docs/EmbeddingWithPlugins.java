package dev.stride.docs;

import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.launcher.Stride;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The example of guides/embedding.md: plain Java, plugin jars, no command line, no config file. Run by {@link EmbeddingIT}. */
final class EmbeddingWithPlugins {
    private EmbeddingWithPlugins() {}

    static Runner train(URL[] pluginJars, Path workDir) {
        // GUIDE-BEGIN
        ClassLoader plugins = new URLClassLoader("plugins", pluginJars, Stride.class.getClassLoader());
        Stride stride = Stride.of(ProviderRegistry.scan(type -> ServiceLoader.load(type, plugins)));
        long seed = 7;
        DataLoader train = stride.dataset("synthetic", Map.of("size", 64, "shape", List.of(1, 4, 4), "num-classes", 3,
                "seed", 1, "batch-size", 8, "shuffle", true), Mode.TRAIN, seed);
        DataLoader val = stride.dataset("synthetic", Map.of("size", 32, "shape", List.of(1, 4, 4), "num-classes", 3,
                "seed", 2, "batch-size", 16), Mode.VAL, seed);
        Model model = stride.model("mlp", Map.of("hidden", List.of(16)), train.spec(), seed);
        Optimizer sgd = stride.optimizer("sgd", Map.of("lr", 0.1), model);

        // the plugin runner, with the stages of its reference.conf: 2, then 4, then all 8 batches
        Runner runner = stride.runner("curriculum", Map.of("max-epochs", 3), model, sgd, workDir, seed);
        runner.registerHook(stride.hook("optimizer", Map.of()), stride.priority("optimizer"));
        runner.registerHook(stride.hook("csv-metrics", Map.of()), stride.priority("csv-metrics"));  // metrics.csv
        runner.run(Map.of(Mode.TRAIN, train, Mode.VAL, val), Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)));
        // GUIDE-END
        return runner;
    }
}
