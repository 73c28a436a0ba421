package dev.stride.hooks.builtin.tensorboard;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.logging.LoggerHook;
import dev.stride.runner.api.Runner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code tensorboard}: writes the scalars the loggers write into a TensorBoard event file in
 * {@code <work-dir>/<log-dir>}, as MMCV's TensorboardLoggerHook: train records every
 * {@code interval} iterations ({@code train/loss}, {@code train/lr}, {@code train/time} ...) and
 * val records ({@code val/loss}, {@code val/accuracy} ...), each at the global train iteration as
 * its step. Every run (and every resume) starts a new file; TensorBoard reads them as one run.
 */
public final class TensorboardHook extends LoggerHook {
    private static final Set<String> NOT_SCALARS = Set.of("mode", "epoch", "global_iter", "iter");

    private final String logDir;
    private EventFile file;

    public TensorboardHook(Config options) {
        super(options);
        this.logDir = options.getString("log-dir");
    }

    @Override
    public String name() {
        return "tensorboard";
    }

    @Override
    public void beforeRun(Runner runner) {
        if (runner.isMainProcess() && file == null) {
            file = new EventFile(runner.workDir().resolve(logDir), System.currentTimeMillis() / 1000, host());
        }
    }

    @Override
    protected void log(Runner runner, Map<String, Object> record) {
        String mode = (String) record.get("mode");
        Map<String, Double> scalars = new LinkedHashMap<>();
        record.forEach((k, v) -> {
            if (!NOT_SCALARS.contains(k) && v instanceof Number n) {
                scalars.put(mode + "/" + k, n.doubleValue());
            }
        });
        long step = ((Number) record.get("global_iter")).longValue();
        file.write(Events.scalars(System.currentTimeMillis() / 1000.0, step, scalars));
    }

    @Override
    public void afterRun(Runner runner) {
        if (file != null) {
            file.close();
            file = null;
        }
    }

    /** The host name as TensorBoard puts it in file names, reduced to characters safe in a file name. */
    static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                h = "localhost";
            }
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
