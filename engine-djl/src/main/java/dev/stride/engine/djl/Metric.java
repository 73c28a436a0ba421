package dev.stride.engine.djl;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A metric a {@link DjlModel}'s val steps report. Metrics that are not means of per-sample values
 * (RMSE, R²) cannot be averaged over batches, so a metric works in two parts:
 *
 * <ol>
 *   <li>{@link #statistics} turns one batch into <em>additive</em> statistics: each a mean over
 *       the batch's samples, so that Stride's sample-weighted average over the batches of an epoch
 *       is the mean over all its samples (e.g. the mean squared error);</li>
 *   <li>{@link #value} turns those epoch averages into the metric (e.g. the square root of the
 *       mean squared error).</li>
 * </ol>
 *
 * <p>So an epoch's RMSE is exactly the RMSE over its samples, not an average of batch RMSEs. The
 * statistics are reported by the val step and replaced by the metrics in every log line and
 * evaluation ({@link dev.stride.runner.api.Model#summarize}). Two metrics may share a statistic by
 * naming it the same; a statistic named like its metric (such as {@code accuracy}, whose value is
 * the mean itself) is shown under that name.
 *
 * <p>Implementations are stateless and called from the runner's thread.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface Metric {
    /** The name the metric is reported under, e.g. {@code accuracy} or {@code rmse}. */
    String name();

    /**
     * The additive statistics of one batch, by name, each a mean over the batch's samples.
     *
     * @param output the model's output {@code [n, outputs]}: logits of a classifier, values of a
     *     regression
     * @param target the batch's targets: int64 labels {@code [n]} (classification) or float32
     *     values {@code [n, targets]} (regression)
     */
    Map<String, Double> statistics(NDArray output, NDArray target);

    /**
     * The metric from the epoch's averages of {@link #statistics} (and of every other statistic
     * reported with them); NaN when one it needs is missing.
     */
    double value(Map<String, Double> averages);

    /** Top-1 accuracy of a classifier, a fraction in 0..1, reported as {@code accuracy}. */
    static Metric accuracy() {
        return Metrics.TopK.of(1);
    }

    /**
     * Top-k accuracy: the share of samples whose class is among the k highest outputs, reported as
     * {@code accuracy_top<k>} ({@code accuracy} for k = 1).
     *
     * @throws IllegalArgumentException when {@code k < 1}
     */
    static Metric topK(int k) {
        return Metrics.TopK.of(k);
    }

    /** Mean absolute error over every target value, {@code mae}. */
    static Metric mae() {
        return Metrics.MAE;
    }

    /** Root mean squared error over every target value, {@code rmse}: the square root of the epoch's mean squared error. */
    static Metric rmse() {
        return Metrics.RMSE;
    }

    /**
     * The coefficient of determination R², {@code r2}: per target {@code 1 - MSE / Var(target)}
     * over the epoch's samples, averaged over the targets (scikit-learn's {@code r2_score}).
     */
    static Metric r2() {
        return Metrics.R2;
    }
}
