package dev.stride.hooks.builtin.logging;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.Durations;
import dev.stride.runner.api.Runner;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code text-logger}: MMCV's text lines, to the console and to {@code <work-dir>/<timestamp>.log}:
 * {@code Epoch [1][50/125]  lr: 1.000e-01, eta: 0:01:02, time: 0.012, data_time: 0.001, loss: 0.4321}
 * and {@code Epoch(val) [1][32]  loss: 0.1234, accuracy: 0.9650}.
 */
public final class TextLoggerHook extends LoggerHook {
    private static final Logger LOG = LoggerFactory.getLogger("stride");
    private static final Set<String> SKIP = Set.of("mode", "epoch", "iter", "global_iter", "lr", "time", "data_time");

    private LogFile file;
    private double timeTotal;
    private long startIter;

    public TextLoggerHook(Config options) {
        super(options);
    }

    @Override
    public String name() {
        return "text-logger";
    }

    @Override
    public void beforeRun(Runner runner) {
        startIter = runner.iter();
        if (runner.isMainProcess()) {
            file = new LogFile(runner.workDir().resolve(runner.timestamp() + ".log"));
        }
    }

    /** The time stamp of the console's lines (SLF4J's simple logger as Stride sets it up), for the .log file's. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Override
    protected void log(Runner runner, Map<String, Object> r) {
        String line = format(runner, r);
        LOG.info(line);
        file.line(LocalDateTime.now().format(STAMP) + " INFO " + line);
    }

    private String format(Runner runner, Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        boolean train = "train".equals(r.get("mode"));
        boolean by = byEpoch(runner);
        if (train) {
            if (by) {
                sb.append("Epoch [").append(r.get("epoch")).append("][").append(runner.innerIter() + 1).append('/')
                        .append(runner.phaseLength()).append("]\t");
            } else {
                sb.append("Iter [").append(r.get("iter")).append('/').append(runner.maxIters()).append("]\t");
            }
            sb.append(String.format(Locale.ROOT, "lr: %.3e, ", (Double) r.get("lr")));
            if (r.containsKey("time")) {
                double time = (Double) r.get("time");
                timeTotal += time * interval;
                double avg = timeTotal / (runner.iter() - startIter + 1);
                long eta = (long) (avg * (runner.maxIters() - runner.iter() - 1));
                sb.append("eta: ").append(Durations.hms(eta))
                        .append(String.format(Locale.ROOT, ", time: %.3f, data_time: %.3f, ", time,
                                (Double) r.getOrDefault("data_time", 0.0)));
            }
        } else {
            if (by) {
                sb.append("Epoch(val) [").append(r.get("epoch")).append("][").append(r.get("iter")).append("]\t");
            } else {
                sb.append("Iter(val) [").append(r.get("iter")).append("]\t");
            }
        }
        boolean first = true;
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (SKIP.contains(e.getKey())) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            Object v = e.getValue();
            sb.append(e.getKey()).append(": ").append(v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v);
        }
        return sb.toString();
    }

    @Override
    public void afterRun(Runner runner) {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
