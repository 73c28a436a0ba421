package dev.stride.launcher;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Predictions;
import dev.stride.runner.api.StepOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A classifier evaluated over one pass of a loader: the val step's metrics averaged over samples
 * and summarized by the model (the same averaging as a val epoch's log line, so the figures are
 * equal to the bit) and a confusion matrix {@code [true class][predicted class]}. A regression
 * model is evaluated by {@link Regression}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Evaluation(Map<String, Double> metrics, long[][] confusion) {
    /** Runs every batch of epoch 0 of {@code loader} through {@code model}. */
    public static Evaluation of(Model model, DataLoader loader) {
        int classes = loader.spec().numClasses();
        long[][] confusion = new long[classes][classes];
        LogBuffer buffer = new LogBuffer(model::summarize);
        try (BatchStream batches = loader.open(0, 0)) {
            while (batches.hasNext()) {
                try (Batch b = batches.next()) {
                    StepOutput out = model.valStep(b);
                    buffer.update(out);
                    Predictions p = model.predict(b);
                    int[] labels = p.labels();
                    int[] predicted = p.predicted();
                    for (int i = 0; i < labels.length; i++) {
                        confusion[labels[i]][Math.min(predicted[i], classes - 1)]++;
                    }
                }
            }
        }
        return new Evaluation(buffer.average(0), confusion);
    }

    public int classes() {
        return confusion.length;
    }

    /** Correct predictions of class {@code c} over its samples (NaN without samples). */
    public double classAccuracy(int c) {
        long total = 0;
        for (long n : confusion[c]) {
            total += n;
        }
        return total == 0 ? Double.NaN : confusion[c][c] / (double) total;
    }

    /** {@code class,samples,correct,accuracy} rows, classes by number. */
    public String perClassCsv() {
        return perClassCsv(List.of());
    }

    /** {@code class,samples,correct,accuracy} rows, classes by name ({@code classNames} in class order; empty: by number). */
    public String perClassCsv(List<String> classNames) {
        StringBuilder sb = new StringBuilder("class,samples,correct,accuracy\n");
        for (int c = 0; c < classes(); c++) {
            long total = 0;
            for (long n : confusion[c]) {
                total += n;
            }
            sb.append(name(classNames, c)).append(',').append(total).append(',').append(confusion[c][c]).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", classAccuracy(c))).append('\n');
        }
        return sb.toString();
    }

    /** Rows are true classes, columns predicted classes, by number. */
    public String confusionCsv() {
        return confusionCsv(List.of());
    }

    /** Rows are true classes, columns predicted classes, by name ({@code classNames} in class order; empty: by number). */
    public String confusionCsv(List<String> classNames) {
        StringBuilder sb = new StringBuilder("true\\predicted");
        for (int c = 0; c < classes(); c++) {
            sb.append(',').append(name(classNames, c));
        }
        sb.append('\n');
        for (int r = 0; r < classes(); r++) {
            sb.append(name(classNames, r));
            for (int c = 0; c < classes(); c++) {
                sb.append(',').append(confusion[r][c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String name(List<String> names, int c) {
        return c < names.size() ? csv(names.get(c)) : Integer.toString(c);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * A regression model evaluated over one pass of a loader: its summarized metrics (MAE, RMSE,
     * R² ...) and, per sample in loader order, the true values ({@link Model#targets}) and the
     * predicted ones ({@link Model#infer}).
     */
    public record Regression(Map<String, Double> metrics, List<float[]> targets, List<float[]> predicted) {
        /** Runs every batch of epoch 0 of {@code loader} through {@code model}. */
        public static Regression of(Model model, DataLoader loader) {
            LogBuffer buffer = new LogBuffer(model::summarize);
            List<float[]> targets = new ArrayList<>();
            List<float[]> predicted = new ArrayList<>();
            try (BatchStream batches = loader.open(0, 0)) {
                while (batches.hasNext()) {
                    try (Batch b = batches.next()) {
                        buffer.update(model.valStep(b));
                        targets.addAll(List.of(model.targets(b)));
                        predicted.addAll(List.of(model.infer(b)));
                    }
                }
            }
            return new Regression(buffer.average(0), List.copyOf(targets), List.copyOf(predicted));
        }

        /**
         * One row per sample: {@code true,predicted} for one target, {@code true_0,...,predicted_0,...}
         * for several; values as Java prints floats (shortest exact form).
         */
        public String predictionsCsv() {
            int k = targets.isEmpty() ? 1 : targets.get(0).length;
            StringBuilder sb = new StringBuilder();
            if (k == 1) {
                sb.append("true,predicted\n");
            } else {
                for (int j = 0; j < k; j++) {
                    sb.append(j == 0 ? "" : ",").append("true_").append(j);
                }
                for (int j = 0; j < k; j++) {
                    sb.append(",predicted_").append(j);
                }
                sb.append('\n');
            }
            for (int i = 0; i < targets.size(); i++) {
                float[] t = targets.get(i);
                float[] p = predicted.get(i);
                for (int j = 0; j < k; j++) {
                    sb.append(j == 0 ? "" : ",").append(t[j]);
                }
                for (int j = 0; j < k; j++) {
                    sb.append(',').append(p[j]);
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }
}
