package dev.stride.hooks.builtin.schedule;

/**
 * The warm-up curves of MMCV's schedule hooks: the factor applied to the regular value at
 * iteration {@code cur} of a warm-up {@code iters} long that starts at {@code ratio}. Learning
 * rates are multiplied by it, momenta divided by it ({@link Target#warm}).
 */
enum Warmup {
    /** {@code ratio} for the whole warm-up. */
    CONSTANT("constant") {
        @Override
        double factor(long cur, long iters, double ratio) {
            return ratio;
        }
    },
    /** From {@code ratio} up to 1 in a straight line. */
    LINEAR("linear") {
        @Override
        double factor(long cur, long iters, double ratio) {
            double k = (1 - (double) cur / iters) * (1 - ratio);
            return 1 - k;
        }
    },
    /** From {@code ratio} up to 1 geometrically. */
    EXP("exp") {
        @Override
        double factor(long cur, long iters, double ratio) {
            return Math.pow(ratio, 1 - (double) cur / iters);
        }
    };

    private final String word;

    Warmup(String word) {
        this.word = word;
    }

    abstract double factor(long cur, long iters, double ratio);

    /** The name used in configs. */
    String word() {
        return word;
    }
}
