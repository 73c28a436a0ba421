package com.example.stride.csvmetrics;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Appends {@code epoch, iter} and every val metric (in name order) to a CSV file: after each val epoch of the
 * workflow (the epoch's averages) and after each evaluation another hook reports (such as the
 * built-in {@code eval} hook). {@code epoch} and {@code iter} count the train epochs and
 * iterations completed, as the val lines of the JSON log do.
 */
final class CsvMetricsHook implements Hook {
    private static final Set<String> TIMING = Set.of("time", "data_time");

    private final String fileName;
    private CsvFile csv;
    private long seenOutput;

    CsvMetricsHook(String fileName) {
        this.fileName = fileName;
    }

    @Override
    public String name() {
        return "csv-metrics";
    }

    @Override
    public void beforeRun(Runner runner) {
        if (runner.isMainProcess()) {
            csv = new CsvFile(runner.workDir().resolve(fileName));
        }
        seenOutput = runner.logBuffer(Mode.VAL).outputVersion();
    }

    @Override
    public void afterValEpoch(Runner runner) {
        append(runner, runner.logBuffer(Mode.VAL).average(0));
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        appendEvaluation(runner);
    }

    @Override
    public void afterTrainIter(Runner runner) {
        appendEvaluation(runner);
    }

    /** An evaluation hook puts its results into the val buffer's output; each is written once. */
    private void appendEvaluation(Runner runner) {
        LogBuffer val = runner.logBuffer(Mode.VAL);
        if (val.outputVersion() != seenOutput && val.hasOutput()) {
            seenOutput = val.outputVersion();
            append(runner, val.output());
        }
    }

    private void append(Runner runner, Map<String, Double> metrics) {
        if (csv == null) {
            return;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", runner.epoch());
        row.put("iter", runner.iter());
        new TreeMap<>(metrics).forEach((k, v) -> {
            if (!TIMING.contains(k)) {
                row.put(k, v);
            }
        });
        csv.append(row);
    }
}
