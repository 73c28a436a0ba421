package dev.stride.hooks.builtin.logging;

import com.typesafe.config.Config;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.internal.Json;
import java.util.Map;

/**
 * {@code json-logger}: one JSON object per record in {@code <work-dir>/<timestamp>.log.json},
 * in MMCV's shape: {@code {"mode": "train", "epoch": 1, "iter": 50, "lr": 0.01, "time": 0.03,
 * "data_time": 0.001, "loss": 0.61}}.
 */
public final class JsonLoggerHook extends LoggerHook {
    private LogFile file;

    public JsonLoggerHook(Config options) {
        super(options);
    }

    @Override
    public String name() {
        return "json-logger";
    }

    @Override
    public void beforeRun(Runner runner) {
        if (runner.isMainProcess()) {
            file = new LogFile(runner.workDir().resolve(runner.timestamp() + ".log.json"));
        }
    }

    @Override
    protected void log(Runner runner, Map<String, Object> record) {
        file.line(Json.write(record));
    }

    @Override
    public void afterRun(Runner runner) {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
