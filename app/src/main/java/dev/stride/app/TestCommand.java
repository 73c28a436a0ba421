package dev.stride.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.launcher.Evaluation;
import dev.stride.launcher.ModelWeights;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.launcher.job.Job;
import dev.stride.launcher.job.JobConfig;
import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.Plugins;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.internal.Json;
import dev.stride.runner.api.spi.DatasetProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stride test CONFIG --checkpoint FILE}: evaluates the model of a checkpoint on
 * {@code data.test} (or {@code data.val}): mean loss, top-1 (and top-5 with more than 5 classes),
 * per-class accuracy and a confusion matrix, printed and written as JSON, CSV and PNG.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint's model on data.test (or data.val).")
final class TestCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The HOCON config the model was trained with.")
    Path config;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "The checkpoint to evaluate.")
    Path checkpoint;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config path.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Overrides work-dir; results go to DIR/test_<time>.")
    String workDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the results (default: the work dir's test_<time>).")
    Path out;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> overrides = new ArrayList<>(sets);
        if (workDir != null) {
            overrides.add("work-dir=\"" + workDir.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        Config cfg = JobConfig.load(config, overrides);
        List<Path> pluginDirs = new ArrayList<>(plugins);
        pluginDirs.addAll(JobConfig.pluginDirs(cfg));
        ProviderRegistry registry = Plugins.registry(Plugins.folders(pluginDirs));
        JobPlan plan = JobPlan.of(cfg, registry, "The config " + config);
        JobPlan.Section<DatasetProvider> section = plan.test != null ? plan.test : plan.data.get(Mode.VAL);
        if (section == null) {
            throw new BadInputException("The config " + config + " has neither data.test nor data.val to test on");
        }
        String which = plan.test != null ? "data.test" : "data.val";
        DataLoader data = section.provider().create(section.options(), Mode.VAL, plan.seed);
        Config modelOptions = plan.model.options();
        if (data.spec().numClasses() > 5 && modelOptions.hasPath("topk")) {
            List<Integer> k = new ArrayList<>(modelOptions.getIntList("topk"));
            if (!k.contains(5)) {
                k.add(5);
            }
            modelOptions = modelOptions.withValue("topk", ConfigValueFactory.fromIterable(k));
        }
        Model model = plan.model.provider().create(modelOptions, data.spec(), plan.seed);
        if (model.dataSpec() != null) {
            List<String> misfit = Job.mismatch(model.dataSpec(), data.spec(), which, Problems.where(section.options().origin()),
                    Problems.where(plan.model.options().origin()));
            if (!misfit.isEmpty()) {
                model.close();
                throw new BadInputException("The model of " + checkpoint + " does not fit " + which + ": " + String.join("; ", misfit));
            }
        }
        ModelWeights.load(model, checkpoint, true, List.of());
        Evaluation eval = Evaluation.of(model, data);
        Path dir = out != null ? out
                : plan.workDir.resolve("test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")));
        write(dir, eval, which, data.spec().classNames());
        LOG.info("Tested {} on {} ({} samples): {}", checkpoint, which, data.samples(), format(eval.metrics()));
        System.out.print(eval.perClassCsv());
        LOG.info("Results in {}", dir);
        model.close();
        return Main.DONE;
    }

    private void write(Path dir, Evaluation eval, String which, List<String> classNames) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("checkpoint", checkpoint.toString());
            json.put("data", which);
            json.put("metrics", eval.metrics());
            List<Double> perClass = new ArrayList<>();
            for (int c = 0; c < eval.classes(); c++) {
                perClass.add(eval.classAccuracy(c));
            }
            json.put("per_class_accuracy", perClass);
            Files.writeString(dir.resolve("metrics.json"), Json.write(json) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("per_class.csv"), eval.perClassCsv(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("confusion_matrix.csv"), eval.confusionCsv(), StandardCharsets.UTF_8);
            ConfusionMatrixImage.write(eval.confusion(), classNames, checkpoint.getFileName() + " on " + which + ": accuracy "
                    + String.format(Locale.ROOT, "%.4f", eval.metrics().getOrDefault("accuracy", Double.NaN)),
                    dir.resolve("confusion_matrix.png"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String format(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ")
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }
}
