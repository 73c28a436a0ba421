package dev.stride.app;

import dev.stride.launcher.job.JobPlan;
import dev.stride.launcher.job.Preloads;
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
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code index,value} ({@code value_<i>} for several targets, in the units of the train targets)
 * for a regression; samples read from files (images) have their file after the index. X is a data
 * section of the config ({@code data.test}), a file holding one ({@code test.conf}), a folder of
 * images, a CSV file or a {@code .npy} array, read with the options the model was trained with
 * ({@link PredictInput}). The CSV appears complete or not at all, and never replaces a file.
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
        boolean toStdout = "-".equals(out);
        PrintStream stdout = System.out;
        if (toStdout) {
            System.setOut(System.err); // the CSV alone goes to standard output, log lines to standard error
        }
        try {
            return predict(toStdout ? stdout : null);
        } finally {
            System.out.flush();
            System.setOut(stdout);
        }
    }

    private int predict(PrintStream stdout) {
        if (batchSize != null && batchSize <= 0) {
            throw new BadInputException("--batch-size " + batchSize + ": give a positive number of samples");
        }
        if (out != null && stdout == null) {
            refuseExisting(Path.of(out)); // before the work, which would be lost
        }
        PredictInput what = PredictInput.parse(input);
        String giveConfig = "stride predict " + checkpoint + " --config CONFIG --input " + input;
        TrainedModel trained = TrainedModel.open(checkpoint, config, sets,
                (cfg, metadata) -> what.apply(cfg, batchSize, checkpoint, metadata), plugins, giveConfig);
        Preloads.start(); // the config and the checkpoint are valid: the engine loads while the data is read
        JobPlan.Section<DatasetProvider> section = what.section(trained.plan);
        DataLoader data = trained.loader(section);
        Path target = stdout != null ? null : out != null ? Path.of(out)
                : trained.plan.workDir.resolve("predictions_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"))
                        + ".csv");
        if (target != null) {
            refuseExisting(target);
        }
        Model model = trained.model(trained.plan.model.options(), data, what.subject(), section);
        try {
            DataSpec spec = trained.spec(data);
            long rows = target == null ? write(model, data, spec, new OutputStreamWriter(stdout, StandardCharsets.UTF_8))
                    : writeFile(model, data, spec, target);
            LOG.info("Predicted {} samples of {} with {}{}", rows, what.describe(), checkpoint, target == null ? "" : ": " + target);
        } finally {
            model.close();
        }
        return Main.DONE;
    }

    private static void refuseExisting(Path file) {
        if (Files.exists(file)) {
            throw new BadInputException("--out " + file + ": " + (Files.isDirectory(file) ? "is a folder; give a file in it" :
                    "exists; give another file, or remove it first (stride predict replaces no file)"));
        }
    }

    /**
     * Written next to the target and linked into place when complete: a failure leaves no half
     * file, and a file that appeared meanwhile is not replaced.
     */
    private static long writeFile(Model model, DataLoader data, DataSpec spec, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path partial = null;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, "." + file.getFileName() + ".tmp-", "");
            long rows;
            try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                rows = write(model, data, spec, w);
            }
            try {
                Files.createLink(file, partial); // fails when the file exists: never replaces it
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                Files.move(partial, file); // no hard links here: a move that refuses an existing file
            }
            return rows;
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("--out " + file + " appeared while predicting; it was left as it is (the predictions"
                    + " were not written): give another file");
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

    /**
     * The header and one row per sample of {@code data}, in order; regression values in the units
     * of the train targets ({@link DataLoader#targetValues}).
     */
    static long write(Model model, DataLoader data, DataSpec spec, Writer sink) {
        boolean named = data.samples() > 0 && data.sampleName(0) != null;
        PredictionsCsv csv = new PredictionsCsv(spec, named);
        long index = 0;
        try {
            BufferedWriter w = sink instanceof BufferedWriter b ? b : new BufferedWriter(sink);
            w.write(csv.header());
            try (BatchStream batches = data.open(0, 0)) {
                while (batches.hasNext()) {
                    try (Batch b = batches.next()) {
                        for (float[] row : model.infer(b)) {
                            float[] values = spec.isRegression() ? data.targetValues(row) : row;
                            w.write(csv.row(index, named ? data.sampleName(index) : null, values));
                            index++;
                        }
                    }
                }
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the predictions: " + e.getMessage(), e);
        }
        if (index != data.samples()) {
            throw new IllegalStateException("predicted " + index + " samples of the " + data.samples() + " of the data");
        }
        return index;
    }
}
