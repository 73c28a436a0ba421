package dev.stride.hooks.builtin.checkpoint;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.ByEpoch;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.support.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * {@code checkpoint}: saves a checkpoint every {@code interval} epochs (or iterations with
 * {@code by-epoch = false}; by default every epoch, or every tenth of the run's iterations) and at the end ({@code save-last}), keeps the newest
 * {@code max-keep} (older ones are deleted only after the new one is committed), optionally
 * without optimizer state, and with {@code save-best = <metric>} keeps the best checkpoint by a
 * val metric, judged after each val epoch.
 */
public final class CheckpointHook implements Hook {
    /** 0 for the default: 1 epoch, or a tenth of the run's iterations. */
    private final int interval;
    private final ByEpoch byEpoch;
    private final int maxKeep;
    private final boolean saveLast;
    private final boolean saveOptimizer;
    private final String outDir;
    private final BestCheckpoint best;
    private final Deque<String> kept = new ArrayDeque<>();

    /** {@code checkpoint}, or the {@code id} the config gives it: the key of its state in checkpoints. */
    private final String name;

    public CheckpointHook(Config options) {
        this.name = Settings.hookName(options, "checkpoint");
        this.interval = options.getIsNull("interval") ? 0 : Settings.intIn(options, "interval", -1, Integer.MAX_VALUE);
        if (interval == 0) {
            if (!options.getIsNull("interval")) {
                throw new dev.stride.runner.api.BadInputException(Settings.where(options.getValue("interval").origin())
                        + "interval: 0 is no interval; use a positive number, -1 (only save-last) or null (the default)");
            }
        }
        this.byEpoch = ByEpoch.of(options);
        this.maxKeep = Settings.intIn(options, "max-keep", -1, Integer.MAX_VALUE);
        this.saveLast = options.getBoolean("save-last");
        this.saveOptimizer = options.getBoolean("save-optimizer");
        this.outDir = options.getIsNull("out-dir") ? null : options.getString("out-dir");
        this.best = BestCheckpoint.of(options);
    }

    @Override
    public String name() {
        return name;
    }

    private Path dir(Runner runner) {
        return outDir == null ? runner.workDir() : runner.workDir().resolve(outDir);
    }

    private boolean byEpoch(Runner runner) {
        return byEpoch.in(runner);
    }

    /** A checkpoint folder other than the work dir is cleaned of a killed run's temp files too. */
    @Override
    public void beforeRun(Runner runner) {
        if (outDir != null && runner.isMainProcess()) {
            dev.stride.runner.api.internal.AtomicFiles.removeLeftovers(dir(runner));
        }
    }

    /**
     * The interval in use: as configured, or by default every epoch, or with iterations a tenth
     * of the run (at least 1), as MMSegmentation's schedules save 16 of 160k iterations.
     */
    int interval(Runner runner) {
        if (interval != 0) {
            return interval;
        }
        return byEpoch(runner) ? 1 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, runner.maxIters() / 10));
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        if (byEpoch(runner) && (Intervals.everyNEpochs(runner, interval(runner)) || saveLast && Intervals.lastEpoch(runner))) {
            save(runner, "epoch_" + (runner.epoch() + 1));
        }
    }

    @Override
    public void afterTrainIter(Runner runner) {
        if (!byEpoch(runner) && (Intervals.everyNIters(runner, interval(runner)) || saveLast && Intervals.lastIter(runner))) {
            save(runner, "iter_" + (runner.iter() + 1));
        }
    }

    @Override
    public void afterValEpoch(Runner runner) {
        if (best != null && runner.isMainProcess()) {
            best.update(runner, runner.logBuffer(Mode.VAL).average(0), dir(runner), byEpoch(runner));
        }
    }

    private void save(Runner runner, String base) {
        if (!runner.isMainProcess()) {
            return;
        }
        String name = base + CheckpointFiles.EXTENSION;
        Path file = dir(runner).resolve(name);
        kept.remove(name);
        kept.addLast(name);
        Checkpoint ck = runner.checkpoint();
        CheckpointFiles.write(file, saveOptimizer ? ck : ck.withoutTensors("optimizer."));
        CheckpointFiles.markLatest(runner.workDir(), file);
        while (maxKeep > 0 && kept.size() > maxKeep) {
            Path old = dir(runner).resolve(kept.removeFirst());
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the old checkpoint " + old + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.put("kept", String.join(",", kept));
        if (best != null) {
            best.save(state);
        }
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        kept.clear();
        String k = state.get("kept");
        if (k != null && !k.isEmpty()) {
            kept.addAll(Arrays.asList(k.split(",")));
        }
        if (best != null) {
            best.load(state);
        }
    }
}
