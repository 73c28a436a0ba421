package dev.stride.launcher;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Predictions;
import dev.stride.runner.api.StepOutput;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A classifier evaluated over one pass of a loader: the val step's metrics averaged over samples
 * (the same averaging as a val epoch's log line, so the figures are equal to the bit) and a
 * confusion matrix {@code [true class][predicted class]}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Evaluation(Map<String, Double> metrics, long[][] confusion) {
    /** Runs every batch of epoch 0 of {@code loader} through {@code model}. */
    public static Evaluation of(Model model, DataLoader loader) {
        int classes = loader.spec().numClasses();
        long[][] confusion = new long[classes][classes];
        LogBuffer buffer = new LogBuffer();
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

    /** {@code class,samples,correct,accuracy} rows. */
    public String perClassCsv() {
        StringBuilder sb = new StringBuilder("class,samples,correct,accuracy\n");
        for (int c = 0; c < classes(); c++) {
            long total = 0;
            for (long n : confusion[c]) {
                total += n;
            }
            sb.append(c).append(',').append(total).append(',').append(confusion[c][c]).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", classAccuracy(c))).append('\n');
        }
        return sb.toString();
    }

    /** Rows are true classes, columns predicted classes. */
    public String confusionCsv() {
        StringBuilder sb = new StringBuilder("true\\predicted");
        for (int c = 0; c < classes(); c++) {
            sb.append(',').append(c);
        }
        sb.append('\n');
        for (int r = 0; r < classes(); r++) {
            sb.append(r);
            for (int c = 0; c < classes(); c++) {
                sb.append(',').append(confusion[r][c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
