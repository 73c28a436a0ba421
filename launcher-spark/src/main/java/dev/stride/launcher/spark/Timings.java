package dev.stride.launcher.spark;

import java.util.Arrays;

/** Durations of repeated calls (allreduces, iterations): count, size of the last, mean, median and worst. */
final class Timings {
    private long[] nanos = new long[64];
    private int count;
    private long floats;

    void add(int size, long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
        floats = size;
    }

    int count() {
        return count;
    }

    /** Numbers summed by the last call. */
    long floats() {
        return floats;
    }

    double meanMillis() {
        return count == 0 ? 0 : Arrays.stream(nanos, 0, count).average().orElse(0) / 1e6;
    }

    double medianMillis() {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted[count / 2] / 1e6;
    }

    double maxMillis() {
        return count == 0 ? 0 : Arrays.stream(nanos, 0, count).max().orElse(0) / 1e6;
    }
}
