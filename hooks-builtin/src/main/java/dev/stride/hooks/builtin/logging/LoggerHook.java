package dev.stride.hooks.builtin.logging;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.ByEpoch;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.hooks.builtin.ValResults;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every logger shares, after MMCV's LoggerHook: a train record every {@code interval}
 * iterations (averaged over them; also at the end of an epoch unless {@code ignore-last}), a val
 * record after each val epoch (averaged over it) and after each evaluation a hook reports.
 *
 * <p>Records hold {@code mode, epoch, iter} (epoch 1-based for train and for evaluations made
 * during a train epoch, completed epochs after a val epoch; iter the global train iteration
 * count), {@code lr}, {@code time}, {@code data_time} for train, then the averaged scalars:
 * {@code loss} first, the others by name.
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
            log(runner, trainRecord(runner, runner.logBuffer(Mode.TRAIN).average(n)));
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
            log(runner, valRecord(runner.epoch(), runner.iter(), runner.logBuffer(Mode.VAL).average(0)));
        }
    }

    /**
     * Logs results an evaluation hook put into the val buffer's output since the last call, as a
     * val record of the train epoch in progress (1-based) after {@code iter} train iterations.
     */
    private void logEvaluation(Runner runner, long iter) {
        Map<String, Double> results = evaluations.newEvaluation(runner);
        if (!results.isEmpty() && runner.isMainProcess()) {
            log(runner, valRecord(runner.epoch() + 1, iter, results));
        }
    }

    static Map<String, Object> trainRecord(Runner runner, Map<String, Double> averages) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "train");
        r.put("epoch", runner.epoch() + 1);
        r.put("iter", runner.iter() + 1);
        r.put("lr", runner.currentLr());
        for (String k : new String[] {"time", "data_time"}) {
            if (averages.containsKey(k)) {
                r.put(k, averages.get(k));
            }
        }
        putScalars(r, averages);
        return r;
    }

    static Map<String, Object> valRecord(int epoch, long iter, Map<String, Double> values) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "val");
        r.put("epoch", epoch);
        r.put("iter", iter);
        putScalars(r, values);
        return r;
    }

    /**
     * Adds the scalars other than the timings in a stable order, {@code loss} first and then by
     * name: a step's scalars come in no particular order, and log lines should not change shape.
     */
    private static void putScalars(Map<String, Object> record, Map<String, Double> values) {
        if (values.containsKey("loss")) {
            record.put("loss", values.get("loss"));
        }
        new TreeMap<>(values).forEach((k, v) -> {
            if (!TIMING.contains(k)) {
                record.putIfAbsent(k, v);
            }
        });
    }
}
