package dev.stride.hooks.builtin.schedule;

/**
 * How a value moves from {@code start} to {@code end} as a factor goes from 0 to 1: MMCV's
 * {@code annealing_cos} and {@code annealing_linear}, written in the same order of operations so
 * the results are the same doubles.
 */
enum Anneal {
    /** Half a cosine wave from start down (or up) to end. */
    COS("cos") {
        @Override
        double apply(double start, double end, double factor) {
            return cos(start, end, factor, 1.0);
        }
    },
    /** A straight line from start to end. */
    LINEAR("linear") {
        @Override
        double apply(double start, double end, double factor) {
            return start + (end - start) * factor;
        }
    };

    private final String word;

    Anneal(String word) {
        this.word = word;
    }

    /** The value at {@code factor} (0 = start, 1 = end). */
    abstract double apply(double start, double end, double factor);

    /** The name used in configs: {@code cos} or {@code linear}. */
    String word() {
        return word;
    }

    /**
     * Cosine annealing from {@code weight * start + (1 - weight) * end} to {@code end}, as MMCV's
     * {@code annealing_cos(start, end, factor, weight)}.
     */
    static double cos(double start, double end, double factor, double weight) {
        double cosOut = Math.cos(Math.PI * factor) + 1;
        return end + 0.5 * weight * (start - end) * cosOut;
    }
}
