package dev.stride.runner.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/**
 * Scalars logged during the current phase (loss, time, accuracy ...), each with the sample count
 * it covers, as in MMCV. Loggers average the last n entries; the runner clears the buffer when a
 * phase starts. Values a hook computes once (an evaluation) go to {@link #putOutput}.
 *
 * <p>Not thread-safe: the runner's thread only.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class LogBuffer {
    private final UnaryOperator<Map<String, Double>> summary;
    private final Map<String, History> history = new LinkedHashMap<>();
    private final Map<String, Double> output = new LinkedHashMap<>();
    private long outputVersion;

    /** A buffer whose averages are reported as they are. */
    public LogBuffer() {
        this(UnaryOperator.identity());
    }

    /**
     * A buffer whose averages pass through {@code summary} (a model's {@link Model#summarize}),
     * which derives the reported metrics from them.
     */
    public LogBuffer(UnaryOperator<Map<String, Double>> summary) {
        this.summary = summary;
    }

    /** Appends {@code value}, which covers {@code count} samples. */
    public void update(String key, double value, int count) {
        history.computeIfAbsent(key, k -> new History()).add(value, count);
    }

    /** Appends every scalar of a step, weighted by its sample count. */
    public void update(StepOutput out) {
        for (Map.Entry<String, Double> e : out.scalars().entrySet()) {
            update(e.getKey(), e.getValue(), out.samples());
        }
    }

    /**
     * Weighted average of each key over its last {@code n} entries (all when {@code n <= 0}),
     * summarized as the buffer was told (metrics derived from averages).
     */
    public Map<String, Double> average(int n) {
        Map<String, Double> avg = new LinkedHashMap<>();
        history.forEach((k, h) -> {
            if (h.added > 0) {
                avg.put(k, h.average(n));
            }
        });
        return avg.isEmpty() ? avg : summary.apply(avg);
    }

    /** The latest value of {@code key}, or NaN. */
    public double latest(String key) {
        History h = history.get(key);
        return h == null || h.added == 0 ? Double.NaN : h.last();
    }

    /**
     * Whether every value of {@code key} since the last clear was a whole number, and one was
     * beyond 0..1: a count (tensors alive, steps ...), which loggers print as an integer. Values
     * only ever 0 or 1 may be a fraction at its bounds (an accuracy of 1.0) and are not whole.
     */
    public boolean isWhole(String key) {
        History h = history.get(key);
        return h != null && h.added > 0 && !h.fractional && h.countLike;
    }

    /** Entries of {@code key} since the last clear. */
    public long count(String key) {
        History h = history.get(key);
        return h == null ? 0 : h.added;
    }

    /** One-off results (e.g. of an evaluation) for the loggers to write next. */
    public void putOutput(String key, double value) {
        output.put(key, value);
        outputVersion++;
    }

    /** Grows whenever {@link #putOutput} is called, so each logger writes new results once. */
    public long outputVersion() {
        return outputVersion;
    }

    public Map<String, Double> output() {
        return Map.copyOf(output);
    }

    public boolean hasOutput() {
        return !output.isEmpty();
    }

    public void clearOutput() {
        output.clear();
    }

    /** Forgets everything. */
    public void clear() {
        history.clear();
        output.clear();
    }

    /** Saves the history so that averages logged after a resume equal the uninterrupted run's. */
    public void saveState(Checkpoint.Section state) {
        state.put("keys", String.join("\n", history.keySet()));
        history.forEach((k, h) -> state.put("history." + k, h.encode()));
        output.forEach((k, v) -> state.put("output." + k, v));
    }

    /** Replaces this buffer by what {@link #saveState} wrote. */
    public void loadState(Checkpoint.Section state) {
        clear();
        String order = state.get("keys");
        if (order != null && !order.isEmpty()) {
            for (String k : order.split("\n")) {
                history.put(k, History.decode(state.get("history." + k)));
            }
        }
        for (String key : state.keys()) {
            if (key.startsWith("history.") && !history.containsKey(key.substring("history.".length()))) {
                history.put(key.substring("history.".length()), History.decode(state.get(key)));
            } else if (key.startsWith("output.")) {
                output.put(key.substring("output.".length()), Double.parseDouble(state.get(key)));
            }
        }
    }

    /** Entries kept per key; averages over more entries than this use the last ones kept. */
    static final int RETAINED = 4096;

    /** Every entry's weighted sum and count since the last clear, plus the last {@link #RETAINED} entries. */
    private static final class History {
        double totalSum;
        long totalCount;
        long added;
        final double[] values = new double[RETAINED];
        final int[] counts = new int[RETAINED];
        int size;
        boolean fractional;
        /** Whether a value was beyond 0 and 1: whole values that stay in 0..1 may be a fraction at its bounds. */
        boolean countLike;

        void add(double value, int count) {
            fractional |= value != Math.rint(value) || Double.isInfinite(value);
            countLike |= Math.abs(value) > 1;
            int slot = (int) (added % RETAINED);
            values[slot] = value;
            counts[slot] = count;
            size = Math.min(size + 1, RETAINED);
            added++;
            totalSum += value * count;
            totalCount += count;
        }

        double last() {
            return values[(int) ((added - 1) % RETAINED)];
        }

        double average(int n) {
            if (n <= 0 || n >= added) {
                return totalCount == 0 ? Double.NaN : totalSum / totalCount;
            }
            int k = Math.min(n, size);
            double sum = 0;
            long total = 0;
            for (long i = added - k; i < added; i++) {
                int slot = (int) (i % RETAINED);
                sum += values[slot] * counts[slot];
                total += counts[slot];
            }
            return total == 0 ? Double.NaN : sum / total;
        }

        String encode() {
            StringBuilder sb = new StringBuilder();
            sb.append(totalSum).append(';').append(totalCount).append(';').append(added);
            for (long i = added - size; i < added; i++) {
                int slot = (int) (i % RETAINED);
                sb.append(';').append(values[slot]).append(':').append(counts[slot]);
            }
            return sb.toString();
        }

        static History decode(String text) {
            String[] parts = text.split(";");
            History h = new History();
            long added = Long.parseLong(parts[2]);
            h.added = added - (parts.length - 3);
            for (int i = 3; i < parts.length; i++) {
                int colon = parts[i].lastIndexOf(':');
                h.add(Double.parseDouble(parts[i].substring(0, colon)), Integer.parseInt(parts[i].substring(colon + 1)));
            }
            h.totalSum = Double.parseDouble(parts[0]);
            h.totalCount = Long.parseLong(parts[1]);
            h.added = added;
            return h;
        }
    }
}
