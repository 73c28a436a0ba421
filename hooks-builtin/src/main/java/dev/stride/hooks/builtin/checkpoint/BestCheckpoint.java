package dev.stride.hooks.builtin.checkpoint;

import dev.stride.hooks.builtin.MetricRule;
import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the checkpoint with the best value of a metric, {@code best_<metric>_epoch_N.safetensors}
 * (or {@code _iter_N}), deleting the previous best once the new one is written. Whether greater
 * or less is better comes from {@code rule}, or from the metric's name as in MMCV.
 */
public final class BestCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(BestCheckpoint.class);

    private final String metric;
    private final MetricRule rule;
    private double best = Double.NaN;
    private String bestFile;

    /** From a hook's {@code save-best} and {@code rule} options; null when save-best is not set. */
    public static BestCheckpoint of(Config options) {
        if (options.getIsNull("save-best")) {
            return null;
        }
        return new BestCheckpoint(options.getString("save-best"), options.getIsNull("rule") ? null : options.getString("rule"));
    }

    /**
     * @param rule {@code greater}, {@code less} or null to infer it from the metric's name
     * @throws BadInputException when the rule is unknown or cannot be inferred
     */
    public BestCheckpoint(String metric, String rule) {
        this.metric = metric;
        this.rule = MetricRule.of(metric, rule, "save-best");
    }

    public String metric() {
        return metric;
    }

    public double best() {
        return best;
    }

    /** Whether {@code value} beats the best so far. */
    public boolean isBetter(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return Double.isNaN(best) || rule.better(value, best);
    }

    /** Saves a best checkpoint if {@code metrics} beats the best so far; returns whether it did. */
    public boolean update(Runner runner, Map<String, Double> metrics, Path dir, boolean byEpoch) {
        Double value = metrics.get(metric);
        if (value == null) {
            throw new BadInputException("save-best = " + metric + ": the val results have no metric '" + metric + "'"
                    + dev.stride.runner.api.support.Settings.didYouMean(metric, metrics.keySet()) + "; they have "
                    + String.join(", ", metrics.keySet()) + ": set save-best to one of them");
        }
        if (!isBetter(value)) {
            return false;
        }
        int inTrain = runner.mode() == dev.stride.runner.api.Mode.TRAIN ? 1 : 0;
        String unit = byEpoch ? "epoch_" + (runner.epoch() + inTrain) : "iter_" + (runner.iter() + inTrain);
        String name = "best_" + metric + "_" + unit + CheckpointFiles.EXTENSION;
        Checkpoint ck = runner.checkpoint();
        Path file = dir.resolve(name);
        CheckpointFiles.write(file, ck);
        if (bestFile != null && !bestFile.equals(name)) {
            try {
                Files.deleteIfExists(dir.resolve(bestFile));
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the previous best checkpoint " + bestFile, e);
            }
        }
        best = value;
        bestFile = name;
        LOG.info("Best {} so far: {} -> {}", metric, value, file);
        return true;
    }

    public void save(Checkpoint.Section state) {
        state.put("best." + metric, best);
        if (bestFile != null) {
            state.put("best-file", bestFile);
        }
    }

    public void load(Checkpoint.Section state) {
        best = state.getDouble("best." + metric, Double.NaN);
        bestFile = state.get("best-file");
    }
}
