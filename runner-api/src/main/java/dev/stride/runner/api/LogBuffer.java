package dev.stride.runner.api;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
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

    /**
     * Replaces each key's entries by one: its weighted average over the entries of every rank,
     * covering all their samples. For data split among the ranks of a data-parallel run, so that
     * every rank reports the whole data set (the val phase with {@link Runner#valSplit}). Every
     * rank must call it at the same point; each gets the same numbers.
     *
     * @param sum sums an array element by element over the ranks, in place ({@link Runner#sumOverRanks})
     * @throws IllegalStateException when the ranks logged different keys, whose sums cannot be added
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public void sumOverRanks(Consumer<double[]> sum) {
        List<String> keys = new ArrayList<>(new TreeSet<>(history.keySet()));
        // first, whether every rank has these keys: n * sum(x^2) = sum(x)^2 only when all n values of x are equal; for
        // the number of keys and two independent 20-bit hashes of them (all sums exact in doubles up to 4096 ranks)
        long[] x = {keys.size(), keys.hashCode() & 0xFFFFFL, (String.join("\n", keys).hashCode() >>> 12) & 0xFFFFFL};
        double[] check = new double[1 + 2 * x.length];
        check[0] = 1;
        for (int i = 0; i < x.length; i++) {
            check[1 + 2 * i] = x[i];
            check[2 + 2 * i] = (double) (x[i] * x[i]);
        }
        sum.accept(check);
        BigInteger ranks = BigInteger.valueOf((long) check[0]);
        for (int i = 0; i < x.length; i++) {
            BigInteger sumX = BigInteger.valueOf((long) check[1 + 2 * i]);
            if (!ranks.multiply(BigInteger.valueOf((long) check[2 + 2 * i])).equals(sumX.multiply(sumX))) {
                throw new IllegalStateException("the " + ranks + " ranks logged different keys in the phase whose data they"
                        + " split (this rank: " + keys + "), so they cannot report its sums");
            }
        }
        double[] totals = new double[keys.size() * 4];
        for (int i = 0; i < keys.size(); i++) {
            History k = history.get(keys.get(i));
            totals[4 * i] = k.totalSum;
            totals[4 * i + 1] = k.totalCount;
            totals[4 * i + 2] = k.fractional ? 1 : 0;
            totals[4 * i + 3] = k.countLike ? 1 : 0;
        }
        sum.accept(totals);
        for (int i = 0; i < keys.size(); i++) {
            history.get(keys.get(i)).replaceBy(totals[4 * i], (long) totals[4 * i + 1], totals[4 * i + 2] > 0,
                    totals[4 * i + 3] > 0);
        }
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

        /** One entry: the average of {@code sum} over {@code count} samples. */
        void replaceBy(double sum, long count, boolean fractional, boolean countLike) {
            totalSum = sum;
            totalCount = count;
            added = 1;
            size = 1;
            values[0] = count == 0 ? Double.NaN : sum / count;
            counts[0] = (int) Math.min(count, Integer.MAX_VALUE);
            this.fractional = fractional;
            this.countLike = countLike;
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
