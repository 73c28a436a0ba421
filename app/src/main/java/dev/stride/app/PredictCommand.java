package dev.stride.app;

import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.PredictInput;
import dev.stride.launcher.job.TrainedModel;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.DatasetProvider;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stride predict CHECKPOINT --input X}: runs the checkpoint's model over the samples of X
 * in order and writes one CSV row per sample: {@code index,class,name,p_<class>...} for a
 * classifier (the most probable class, its name, and every class's probability), or
 * {@code index,value} ({@code value_<i>} for several targets) for a regression. X is a data
 * section of the config ({@code data.test}), a file holding one ({@code test.conf}), a folder of
 * images, a CSV file or a {@code .npy} array, read with the options the model was trained with.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write a checkpoint's predictions for the samples of --input as CSV.")
final class PredictCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("stride");

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The checkpoint whose model predicts.")
    Path checkpoint;

    @Option(names = "--input", required = true, paramLabel = "DATA",
            description = "What to predict on: a data section of the config (data.test), a file with one (test.conf),"
                    + " a folder of images, a .csv file or a .npy file.")
    String input;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The CSV to write ('-': standard output; default: the work dir's predictions_<time>.csv)."
                    + " An existing file is not overwritten.")
    String out;

    @Option(names = "--config", paramLabel = "FILE", description = "The config (default: the one the checkpoint records).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config path.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per forward pass (default: the data's).")
    Integer batchSize;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of plugin jars (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        if (batchSize != null && batchSize <= 0) {
            throw new BadInputException("--batch-size " + batchSize + ": give a positive number of samples");
        }
        PredictInput what = PredictInput.parse(input);
        TrainedModel trained = TrainedModel.open(checkpoint, config, sets, cfg -> what.apply(cfg, batchSize), plugins);
        JobPlan.Section<DatasetProvider> section = what.section(trained.plan);
        DataLoader data = trained.loader(section);
        Model model = trained.model(trained.plan.model.options(), data, what.describe(), section);
        try {
            DataSpec spec = trained.spec(data);
            Path target = target(trained.plan);
            long rows = target == null ? write(model, data, spec, new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                    : writeFile(model, data, spec, target);
            if (target != null) {
                LOG.info("Predicted {} samples of {} with {}: {}", rows, what.describe(), checkpoint, target);
            }
        } finally {
            model.close();
        }
        return Main.DONE;
    }

    private Path target(JobPlan plan) {
        if ("-".equals(out)) {
            return null;
        }
        Path file = out != null ? Path.of(out)
                : plan.workDir.resolve("predictions_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"))
                        + ".csv");
        if (Files.exists(file)) {
            throw new BadInputException("--out " + file + " exists; give another file, or remove it first");
        }
        return file;
    }

    /** Written next to the target and moved into place when complete: a failure leaves no half file. */
    private long writeFile(Model model, DataLoader data, DataSpec spec, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path partial = null;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, "." + file.getFileName() + ".tmp-", "");
            long rows;
            try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                rows = write(model, data, spec, w);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the predictions to " + file + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // the temp file's name says what it is
                }
            }
        }
    }

    static long write(Model model, DataLoader data, DataSpec spec, Writer sink) {
        PredictionsCsv csv = new PredictionsCsv(spec);
        long index = 0;
        try {
            BufferedWriter w = sink instanceof BufferedWriter b ? b : new BufferedWriter(sink);
            w.write(csv.header());
            try (BatchStream batches = data.open(0, 0)) {
                while (batches.hasNext()) {
                    try (Batch b = batches.next()) {
                        float[][] rows = model.infer(b);
                        for (float[] row : rows) {
                            w.write(csv.row(index++, row));
                        }
                    }
                }
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the predictions: " + e.getMessage(), e);
        }
        return index;
    }
}
