package dev.stride.hooks.builtin;

import dev.stride.runner.api.BadInputException;
import java.util.List;
import java.util.Locale;

/**
 * Whether a greater or a less value of a metric is better, as the hooks that judge metrics
 * ({@code checkpoint} and {@code eval} with {@code save-best}, {@code early-stopping}) read it:
 * from their {@code rule} option, or inferred from the metric's name as in MMCV and MMEngine (and
 * {@code mae}, {@code rmse} less, {@code r2} greater).
 */
public enum MetricRule {
    GREATER,
    LESS;

    private static final List<String> GREATER_KEYS = List.of("acc", "top", "ar@", "auc", "precision", "map", "mdice",
            "miou", "macc", "aacc", "f1", "recall", "r2");
    /** Besides MMCV's: the regression errors mae, mse and rmse. */
    private static final List<String> LESS_KEYS = List.of("loss", "error", "err", "mae", "mse");

    /**
     * @param metric the metric's name, e.g. {@code accuracy} or {@code loss}
     * @param rule {@code greater}, {@code less}, or null to infer it from the metric's name
     * @param option the option that names the metric ({@code save-best}, {@code monitor}), for messages
     * @throws BadInputException when the rule is unknown or cannot be inferred
     */
    public static MetricRule of(String metric, String rule, String option) {
        if (rule != null) {
            return switch (rule) {
                case "greater" -> GREATER;
                case "less" -> LESS;
                default -> throw new BadInputException("rule = " + rule + ": use greater or less");
            };
        }
        String m = metric.toLowerCase(Locale.ROOT);
        if (LESS_KEYS.stream().anyMatch(m::contains)) {
            return LESS;
        }
        if (GREATER_KEYS.stream().anyMatch(m::contains)) {
            return GREATER;
        }
        throw new BadInputException(option + " = " + metric + ": cannot tell whether a greater or a less value is"
                + " better; set rule = greater or rule = less");
    }

    /** Whether {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return this == GREATER ? a > b : a < b;
    }

    /** {@code greater} or {@code less}, as the option is written. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
