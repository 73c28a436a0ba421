package dev.stride.hooks.builtin.training;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.ByEpoch;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.hooks.builtin.checkpoint.BestCheckpoint;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eval}: evaluates the model on the val data every {@code interval} epochs (or iterations
 * with {@code by-epoch = false}) from {@code start}, as MMCV's EvalHook: mean loss, top-1 and
 * top-k accuracy of a classifier, MAE, RMSE and R² of a regression (what the model's val step
 * reports), weighted by samples, written to the log. With {@code save-best} it keeps the
 * best checkpoint by one of them.
 */
public final class EvalHook implements Hook {
    private static final Logger LOG = LoggerFactory.getLogger(EvalHook.class);

    private final int interval;
    private final Integer start;
    private final ByEpoch byEpoch;
    private final BestCheckpoint best;
    private Map<String, Double> last = Map.of();

    /** {@code eval}, or the {@code id} the config gives it: the key of its state in checkpoints. */
    private final String name;

    public EvalHook(Config options) {
        this.name = Settings.hookName(options, "eval");
        this.interval = Settings.intIn(options, "interval", 1, Integer.MAX_VALUE);
        this.start = options.getIsNull("start") ? null : Settings.intIn(options, "start", 0, Integer.MAX_VALUE);
        this.byEpoch = ByEpoch.of(options);
        this.best = BestCheckpoint.of(options);
    }

    @Override
    public String name() {
        return name;
    }

    private boolean byEpoch(Runner runner) {
        return byEpoch.in(runner);
    }

    @Override
    public void beforeRun(Runner runner) {
        if (runner.loader(Mode.VAL) == null) {
            throw new BadInputException("hook eval needs val data: add a data.val section to the config");
        }
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        if (byEpoch(runner) && due(runner.epoch(), Intervals.everyNEpochs(runner, interval))) {
            evaluate(runner);
        }
    }

    @Override
    public void afterTrainIter(Runner runner) {
        if (!byEpoch(runner) && due(runner.iter(), Intervals.everyNIters(runner, interval))) {
            evaluate(runner);
        }
    }

    /** MMCV's rule: every interval, or from {@code start} on, every interval after it. */
    private boolean due(long current, boolean everyInterval) {
        if (start == null) {
            return everyInterval;
        }
        return current + 1 >= start && (current + 1 - start) % interval == 0;
    }

    /**
     * Runs the whole val loader and reports the averages, summarized by the model (metrics such as
     * RMSE derived from the averages, {@link dev.stride.runner.api.Model#summarize}), as a val
     * epoch's log line reports them.
     */
    public static Map<String, Double> evaluate(dev.stride.runner.api.Model model, DataLoader loader) {
        return evaluate(model, loader, null);
    }

    /**
     * As {@link #evaluate(dev.stride.runner.api.Model, DataLoader)}; with {@code sumOverRanks}, the
     * sums of every rank's share of the val data are added first, so each rank reports the whole
     * val set.
     */
    private static Map<String, Double> evaluate(dev.stride.runner.api.Model model, DataLoader loader,
            java.util.function.@Nullable Consumer<double[]> sumOverRanks) {
        LogBuffer sums = new LogBuffer(model::summarize);
        try (BatchStream batches = loader.open(0, 0)) {
            while (batches.hasNext()) {
                try (Batch b = batches.next()) {
                    sums.update(model.valStep(b));
                }
            }
        }
        if (sumOverRanks != null) {
            sums.sumOverRanks(sumOverRanks);
        }
        return sums.average(0);
    }

    private void evaluate(Runner runner) {
        last = evaluate(runner.model(), runner.loader(Mode.VAL), runner.valSplit() ? runner::sumOverRanks : null);
        LogBuffer val = runner.logBuffer(Mode.VAL);
        val.clearOutput();
        last.forEach(val::putOutput);
        LOG.debug("eval at epoch {}, iter {}: {}", runner.epoch() + 1, runner.iter() + 1, last);
        if (best != null && runner.isMainProcess()) {
            best.update(runner, last, runner.workDir(), byEpoch(runner));
        }
    }

    /** The metrics of the last evaluation. */
    public Map<String, Double> lastMetrics() {
        return last;
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        if (best != null) {
            best.save(state);
        }
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        if (best != null) {
            best.load(state);
        }
    }
}
