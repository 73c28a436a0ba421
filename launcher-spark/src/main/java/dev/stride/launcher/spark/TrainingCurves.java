package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The loss and accuracy curves of one run, read from the JSON logs of its work dir. A resumed run
 * adds a log file (or appends to the same one); where two lines speak of the same iteration, the
 * later one wins, so lines an interrupted attempt wrote after its last checkpoint are replaced by
 * the resumed attempt's.
 *
 * @param trainLoss train loss by global iteration
 * @param valLoss val loss by the global iteration it followed
 * @param valAccuracy val top-1 accuracy likewise
 */
record TrainingCurves(TreeMap<Long, Double> trainLoss, TreeMap<Long, Double> valLoss, TreeMap<Long, Double> valAccuracy)
        implements Serializable { // java-serialization: Spark returns it from the executors in a TrialResult
    private static final long serialVersionUID = 1L;

    static TrainingCurves read(Path workDir) {
        TrainingCurves c = new TrainingCurves(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        List<Path> logs;
        try (Stream<Path> files = Files.list(workDir)) {
            logs = files.filter(p -> p.getFileName().toString().endsWith(".log.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the logs of " + workDir + ": " + e.getMessage(), e);
        }
        for (Path log : logs) {
            try {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    c.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log + ": " + e.getMessage(), e);
            }
        }
        return c;
    }

    private void add(String line) {
        if (line.isBlank()) {
            return;
        }
        Config record;
        try {
            record = ConfigFactory.parseString(line);
        } catch (ConfigException e) {
            return; // a line cut short by a kill
        }
        if (!record.hasPath("mode") || !record.hasPath("iter")) {
            return;
        }
        // global_iter: the train iterations done (iter counts within the epoch in runs by epoch)
        long iter = record.hasPath("global_iter") ? record.getLong("global_iter") : record.getLong("iter");
        boolean train = record.getString("mode").equals("train");
        put(train ? trainLoss : valLoss, iter, record, "loss");
        if (!train) {
            put(valAccuracy, iter, record, "accuracy");
        }
    }

    private static void put(TreeMap<Long, Double> curve, long iter, Config record, String key) {
        if (record.hasPath(key)) {
            curve.put(iter, record.getDouble(key));
        }
    }

    /** The last value of a curve, or NaN. */
    static double last(TreeMap<Long, Double> curve) {
        return curve.isEmpty() ? Double.NaN : curve.lastEntry().getValue();
    }

    /** The highest value of a curve, or NaN. */
    static double best(Map<Long, Double> curve) {
        return curve.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
