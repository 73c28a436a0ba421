package dev.stride.engine.djl.data;

import dev.stride.runner.api.DataSpec;

/**
 * A data set held in memory: {@code count} samples of {@code spec.sampleSize()} floats each, one
 * after the other, and their class labels.
 */
record ArrayData(float[] features, int[] labels, DataSpec spec) {
    int count() {
        return labels.length;
    }
}
