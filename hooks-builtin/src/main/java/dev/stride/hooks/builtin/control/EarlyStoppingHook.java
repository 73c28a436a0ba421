package dev.stride.hooks.builtin.control;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.MetricRule;
import dev.stride.hooks.builtin.ValResults;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code early-stopping}: stops training when a val metric stops improving, with MMEngine's
 * EarlyStoppingHook rules. Each val result (a val epoch of the workflow, or an evaluation of the
 * {@code eval} hook) is one record: it improves when it beats the best so far by at least
 * {@code min-delta}; after {@code patience} records without improvement, or as soon as the metric
 * goes beyond {@code stopping-threshold}, or when it is NaN or infinite ({@code check-finite}),
 * the run stops after a checkpoint. Results of the same weights (an evaluation at the end of a
 * train epoch and a val epoch right after it) count once. The best value and the count of records
 * without improvement are saved with checkpoints, so a resumed run continues counting.
 */
public final class EarlyStoppingHook implements Hook {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStoppingHook.class);

    private final String monitor;
    private final MetricRule rule;
    private final double minDelta;
    private final int patience;
    private final Double threshold;
    private final boolean strict;
    private final boolean checkFinite;
    private final ValResults evaluations = new ValResults();
    private double best;
    private int wait;
    /** The train iteration count of the last result judged, so results of the same weights count once. */
    private long judgedAt = -1;

    /** {@code early-stopping}, or the {@code id} the config gives it: the key of its state in checkpoints. */
    private final String name;

    public EarlyStoppingHook(Config options) {
        this.name = Settings.hookName(options, "early-stopping");
        if (options.getIsNull("monitor")) {
            throw new BadInputException("early-stopping needs the val metric to watch: set monitor = accuracy"
                    + " (or loss, or any metric the val results have)");
        }
        this.monitor = options.getString("monitor");
        this.rule = MetricRule.of(monitor, options.getIsNull("rule") ? null : options.getString("rule"), "monitor");
        this.minDelta = Settings.doubleIn(options, "min-delta", 0, Double.MAX_VALUE);
        this.patience = Settings.intIn(options, "patience", 1, Integer.MAX_VALUE);
        this.threshold = options.getIsNull("stopping-threshold") ? null : options.getDouble("stopping-threshold");
        this.strict = options.getBoolean("strict");
        this.checkFinite = options.getBoolean("check-finite");
        this.best = rule == MetricRule.GREATER ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void afterTrainIter(Runner runner) {
        judgeEvaluation(runner, runner.iter() + 1);
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        judgeEvaluation(runner, runner.iter());
    }

    @Override
    public void afterValEpoch(Runner runner) {
        judge(runner, ValResults.ofValEpoch(runner), runner.iter());
    }

    private void judgeEvaluation(Runner runner, long iters) {
        Map<String, Double> results = evaluations.newEvaluation(runner);
        if (!results.isEmpty()) {
            judge(runner, results, iters);
        }
    }

    /** Judges the results of the weights after {@code iters} train iterations. */
    private void judge(Runner runner, Map<String, Double> metrics, long iters) {
        Double value = metrics.get(monitor);
        if (value == null) {
            if (strict) {
                throw new BadInputException("early-stopping: the val results have no metric '" + monitor + "'"
                        + Settings.didYouMean(monitor, metrics.keySet()) + " (they have "
                        + String.join(", ", new TreeSet<>(metrics.keySet())) + "): set monitor to one of them, or"
                        + " strict = false to skip results without it");
            }
            LOG.warn("early-stopping: no metric '{}' among the val results (they have {}); skipped. Set monitor to one of"
                    + " them, or strict = true to make this an error", monitor, String.join(", ", metrics.keySet()));
            return;
        }
        if (iters == judgedAt) {
            return;
        }
        judgedAt = iters;
        String reason = check(value);
        if (reason != null) {
            LOG.info("Early stopping after {} iterations: {}", iters, reason);
            runner.requestStop("early stopping: " + reason, true);
        }
    }

    /** MMEngine's stop condition; returns why to stop, or null to go on. */
    private String check(double value) {
        if (checkFinite && !Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%s = %s is not finite; the best was %.4f", monitor, value, best);
        }
        if (threshold != null && rule.better(value, threshold)) {
            best = value;
            return String.format(Locale.ROOT, "%s = %.4f is %s than the stopping threshold %s", monitor, value, rule.id(),
                    threshold);
        }
        double bar = rule == MetricRule.GREATER ? best + minDelta : best - minDelta;
        if (rule.better(bar, value)) {
            wait++;
            if (wait >= patience) {
                return String.format(Locale.ROOT, "%s did not improve by %s in the last %d results; the best is %.4f",
                        monitor, minDelta, wait, best);
            }
            return null;
        }
        best = value;
        wait = 0;
        return null;
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.put("best", best);
        state.put("wait", wait);
        state.put("judged-at", judgedAt);
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        best = state.getDouble("best", best);
        wait = (int) state.getLong("wait", 0);
        judgedAt = state.getLong("judged-at", -1);
    }
}
