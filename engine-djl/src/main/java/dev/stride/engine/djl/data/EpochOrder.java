package dev.stride.engine.djl.data;

import java.util.SplittableRandom;

/**
 * The order of the samples in an epoch: a pure function of (seed, epoch), so any epoch can be
 * regenerated, and a resumed run can start at any batch without touching the ones before it.
 */
final class EpochOrder {
    private EpochOrder() {}

    /** The sample indices of {@code epoch}: identity when not shuffled, else a seeded Fisher-Yates shuffle. */
    static int[] of(int count, boolean shuffle, long seed, long epoch) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(mix(seed, epoch));
            for (int i = count - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    static long mix(long seed, long epoch) {
        long z = seed * 0xD1B54A32D192ED03L + epoch * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
        return z ^ (z >>> 32);
    }

    /**
     * The random draws of one sample in one epoch (augmentation): a generator seeded by (seed,
     * epoch, index) alone, so a sample's draws do not depend on which thread prepares it, on the
     * batch it falls in, or on where a resumed run started.
     */
    static SplittableRandom sampleRandom(long seed, long epoch, long index) {
        long z = mix(seed, epoch) ^ (index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
        z = (z ^ (z >>> 31)) * 0x9E3779B97F4A7C15L;
        return new SplittableRandom(z ^ (z >>> 29));
    }
}
