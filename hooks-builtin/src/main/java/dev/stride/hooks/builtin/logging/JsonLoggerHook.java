package dev.stride.hooks.builtin.logging;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.internal.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code json-logger}: one JSON object per record in {@code <work-dir>/<timestamp>.log.json},
 * in MMCV's shape: {@code {"mode": "train", "epoch": 1, "iter": 50, "lr": 0.01, "time": 0.03,
 * "data_time": 0.001, "loss": 0.61}}. The first line describes the run, as MMCV writes its
 * {@code runner.meta} there: {@code env_info}, the resolved {@code config}, {@code seed},
 * {@code exp_name} (the work dir's name), then Stride's version and the runner; it has no
 * {@code epoch}, so MMCV's log tools skip it.
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
            file.line(Json.write(meta(runner)));
        }
    }

    /** The first line: what MMCV's {@code runner.meta} holds, and Stride's version. */
    static Map<String, Object> meta(Runner runner) {
        String stride = Runner.class.getModule().getDescriptor() != null
                ? Runner.class.getModule().getDescriptor().version().map(Object::toString).orElse("dev")
                : java.util.Objects.requireNonNullElse(Runner.class.getPackage().getImplementationVersion(), "dev");
        String env = String.join("\n",
                "sys.platform: " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + " " + System.getProperty("os.arch"),
                "Java: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "Stride: " + stride,
                "CPU cores: " + Runtime.getRuntime().availableProcessors());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("env_info", env);
        meta.put("config", runner.config().root().render(ConfigRenderOptions.defaults().setOriginComments(false)
                .setComments(false).setJson(false)));
        meta.put("seed", runner.seed());
        Path name = runner.workDir().toAbsolutePath().normalize().getFileName();
        meta.put("exp_name", name == null ? "" : name.toString());
        meta.put("stride_version", stride);
        meta.put("runner", runner.name());
        return meta;
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
