package dev.stride.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.stride.launcher.Evaluation;
import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.Preloads;
import dev.stride.launcher.job.TrainedModel;
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
 * {@code stride test CHECKPOINT} (or {@code stride test CONFIG --checkpoint FILE}): evaluates the
 * model of a checkpoint on {@code data.test} (or {@code data.val}) of the config it was trained with
 * (recorded in the checkpoint; {@code --set} overrides it, e.g. the data paths): for a classifier
 * mean loss, top-1 (and top-5 with more than 5 classes), per-class accuracy and a confusion matrix,
 * printed and written as JSON, CSV and PNG (classes by name when the data names them); for a
 * regression mean loss, MAE, RMSE and R² (metrics.json) and each sample's true and predicted values
 * (predictions.csv).
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint's model on data.test (or data.val) of the config it was trained with.")
final class TestCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    @Parameters(index = "0", arity = "0..1", paramLabel = "CHECKPOINT|CONFIG",
            description = "The checkpoint to evaluate (its recorded config is used), or a config when --checkpoint names the checkpoint.")
    Path first;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "The checkpoint to evaluate, when CONFIG is given.")
    Path checkpoint;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config path, e.g. data.test.root=...")
    List<String> sets = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Overrides work-dir; results go to DIR/test_<time>.")
    String workDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the results (default: the work dir's test_<time>).")
    Path out;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        Path config = checkpoint != null ? first : null;
        Path ck = checkpoint != null ? checkpoint : first;
        if (ck == null) {
            throw new BadInputException("say which checkpoint to test: stride test CHECKPOINT (e.g. work_dirs/run/epoch_4.safetensors)");
        }
        List<String> overrides = new ArrayList<>(sets);
        if (workDir != null) {
            overrides.add("work-dir=\"" + workDir.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        TrainedModel trained = TrainedModel.open(ck, config, overrides, (c, metadata) -> c, plugins,
                "stride test CONFIG --checkpoint " + ck);
        Preloads.start(); // the config and the checkpoint are valid: the engine loads while the data is read
        JobPlan plan = trained.plan;
        JobPlan.Section<DatasetProvider> section = plan.test != null ? plan.test : plan.data.get(Mode.VAL);
        if (section == null) {
            throw new BadInputException(trained.configName + " has neither data.test nor data.val to test on: add one, or"
                    + " --set data.test={type = ..., ...}");
        }
        String which = plan.test != null ? "data.test" : "data.val";
        DataLoader data = trained.loader(section);
        if (!data.hasTargets()) {
            throw new BadInputException(which + " has no targets (labels or values) to test against; for predictions on data"
                    + " without them use stride predict " + ck + " --input " + which);
        }
        Config modelOptions = plan.model.options();
        if (trained.spec(data).numClasses() > 5 && modelOptions.hasPath("topk")) {
            List<Integer> k = new ArrayList<>(modelOptions.getIntList("topk"));
            if (!k.contains(5)) {
                k.add(5);
            }
            modelOptions = modelOptions.withValue("topk", ConfigValueFactory.fromIterable(k));
        }
        Model model = trained.model(modelOptions, data, which, section);
        this.checkpoint = ck;
        Path dir = out != null ? out
                : plan.workDir.resolve("test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")));
        if (data.spec().isRegression()) {
            Evaluation.Regression eval = Evaluation.Regression.of(model, data);
            write(dir, eval, which);
            LOG.info("Tested {} on {} ({} samples): {}", ck, which, data.samples(), format(eval.metrics()));
        } else {
            Evaluation eval = Evaluation.of(model, data);
            write(dir, eval, which, data.spec().classNames());
            LOG.info("Tested {} on {} ({} samples): {}", ck, which, data.samples(), format(eval.metrics()));
            System.out.print(eval.perClassCsv(data.spec().classNames()));
        }
        LOG.info("Results in {}", dir);
        model.close();
        return Main.DONE;
    }

    /** Regression: metrics.json (MAE, RMSE, R² ...) and predictions.csv (true and predicted values per sample). */
    private void write(Path dir, Evaluation.Regression eval, String which) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("checkpoint", checkpoint.toString());
            json.put("data", which);
            json.put("metrics", eval.metrics());
            Files.writeString(dir.resolve("metrics.json"), Json.write(json) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("predictions.csv"), eval.predictionsCsv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private void write(Path dir, Evaluation eval, String which, List<String> classNames) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("checkpoint", checkpoint.toString());
            json.put("data", which);
            json.put("metrics", eval.metrics());
            if (!classNames.isEmpty()) {
                json.put("classes", classNames);
            }
            List<Double> perClass = new ArrayList<>();
            for (int c = 0; c < eval.classes(); c++) {
                perClass.add(eval.classAccuracy(c));
            }
            json.put("per_class_accuracy", perClass);
            Files.writeString(dir.resolve("metrics.json"), Json.write(json) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("per_class.csv"), eval.perClassCsv(classNames), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("confusion_matrix.csv"), eval.confusionCsv(classNames), StandardCharsets.UTF_8);
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
