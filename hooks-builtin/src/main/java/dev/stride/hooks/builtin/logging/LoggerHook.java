package dev.stride.hooks.builtin.logging;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.ByEpoch;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.hooks.builtin.ValResults;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What every logger shares, after MMCV's LoggerHook: a train record every {@code interval}
 * iterations (averaged over them; also at the end of an epoch unless {@code ignore-last}), a val
 * record after each val epoch (averaged over it) and after each evaluation a hook reports.
 *
 * <p>Records hold what MMCV's TextLoggerHook writes, so MMCV's log tools read them:
 * {@code mode, epoch, iter} (epoch 1-based for train and for evaluations made during a train
 * epoch, the epochs completed after a val epoch; {@code iter} the 1-based iteration within the
 * epoch in runs counted by epoch, the global train iteration count otherwise; for val records
 * the number of val batches), then {@code global_iter} (the train iterations done, always),
 * {@code lr}, {@code time}, {@code data_time} for train, then the averaged scalars: {@code loss}
 * first, the others by name. Whole-number scalars (counts) are kept as integers.
 */
public abstract class LoggerHook implements Hook {
    private static final Set<String> TIMING = Set.of("time", "data_time");

    protected final int interval;
    private final boolean ignoreLast;
    private final ByEpoch byEpoch;
    private final ValResults evaluations = new ValResults();

    protected LoggerHook(Config options) {
        this.interval = Settings.intIn(options, "interval", 1, Integer.MAX_VALUE);
        this.ignoreLast = options.getBoolean("ignore-last");
        this.byEpoch = ByEpoch.of(options);
    }

    /** Writes one record. Only called on the main process. */
    protected abstract void log(Runner runner, Map<String, Object> record);

    protected final boolean byEpoch(Runner runner) {
        return byEpoch.in(runner);
    }

    @Override
    public void afterTrainIter(Runner runner) {
        boolean by = byEpoch(runner);
        int n = interval;
        boolean now = by ? Intervals.everyNInnerIters(runner, interval) : Intervals.everyNIters(runner, interval);
        if (!now && by && Intervals.endOfEpoch(runner) && !ignoreLast) {
            now = true;
            n = (runner.innerIter() + 1) % interval;
        }
        if (now && runner.isMainProcess()) {
            LogBuffer train = runner.logBuffer(Mode.TRAIN);
            log(runner, trainRecord(runner, by, train.average(n), train::isWhole));
        }
        logEvaluation(runner, runner.iter() + 1);
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        logEvaluation(runner, runner.iter());
    }

    @Override
    public void afterValEpoch(Runner runner) {
        if (runner.isMainProcess()) {
            LogBuffer val = runner.logBuffer(Mode.VAL);
            long iter = byEpoch(runner) ? runner.phaseLength() : runner.iter();
            log(runner, valRecord(runner.epoch(), iter, runner.iter(), val.average(0), val::isWhole));
        }
    }

    /**
     * Logs results an evaluation hook put into the val buffer's output since the last call, as a
     * val record of the train epoch in progress (1-based) after {@code globalIter} train
     * iterations; its {@code iter} is the length of the val loader, as MMCV's EvalHook logs it.
     */
    private void logEvaluation(Runner runner, long globalIter) {
        Map<String, Double> results = evaluations.newEvaluation(runner);
        if (!results.isEmpty() && runner.isMainProcess()) {
            DataLoader val = runner.loader(Mode.VAL);
            long iter = val != null ? val.batchesPerEpoch() : globalIter;
            log(runner, valRecord(runner.epoch() + 1, iter, globalIter, results, k -> false));
        }
    }

    static Map<String, Object> trainRecord(Runner runner, boolean byEpoch, Map<String, Double> averages,
            Predicate<String> whole) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "train");
        r.put("epoch", runner.epoch() + 1);
        r.put("iter", byEpoch ? runner.innerIter() + 1 : runner.iter() + 1);
        r.put("global_iter", runner.iter() + 1);
        r.put("lr", runner.currentLr());
        for (String k : new String[] {"time", "data_time"}) {
            if (averages.containsKey(k)) {
                r.put(k, averages.get(k));
            }
        }
        putScalars(r, averages, whole);
        return r;
    }

    static Map<String, Object> valRecord(int epoch, long iter, long globalIter, Map<String, Double> values,
            Predicate<String> whole) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "val");
        r.put("epoch", epoch);
        r.put("iter", iter);
        r.put("global_iter", globalIter);
        putScalars(r, values, whole);
        return r;
    }

    /**
     * Adds the scalars other than the timings in a stable order, {@code loss} first and then by
     * name: a step's scalars come in no particular order, and log lines should not change shape.
     * A scalar that was a whole number at every step (a count) is written as an integer.
     */
    private static void putScalars(Map<String, Object> record, Map<String, Double> values, Predicate<String> whole) {
        if (values.containsKey("loss")) {
            record.put("loss", values.get("loss"));
        }
        new TreeMap<>(values).forEach((k, v) -> {
            if (!TIMING.contains(k)) {
                record.putIfAbsent(k, whole.test(k) && v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) v.longValue() : v);
            }
        });
    }
}
