package dev.stride.engine.djl.data;

import dev.stride.runner.api.DataSpec;

/**
 * A data set held in memory: {@code count} samples of {@code spec.sampleSize()} floats each, one
 * after the other, and their class labels (classification), their {@code spec.targets()}
 * regression values each (regression), or no targets.
 */
final class ArrayData implements Samples {
    private final float[] features;
    private final int[] labels;
    private final float[] values;
    private final DataSpec spec;
    private final int count;
    private final int size;

    /** Classification: one class label per sample. */
    ArrayData(float[] features, int[] labels, DataSpec spec) {
        this(features, labels, null, spec, labels.length);
    }

    private ArrayData(float[] features, int[] labels, float[] values, DataSpec spec, int count) {
        this.features = features;
        this.labels = labels;
        this.values = values;
        this.spec = spec;
        this.count = count;
        this.size = Math.toIntExact(spec.sampleSize());
        if ((long) count * size != features.length) {
            throw new IllegalArgumentException(features.length + " values for " + count + " samples of " + size);
        }
    }

    /** Regression: {@code spec.targets()} values per sample in {@code values}. */
    static ArrayData regression(float[] features, float[] values, DataSpec spec) {
        return new ArrayData(features, null, values, spec, values.length / spec.targets());
    }

    /** Without targets (data to predict on). */
    static ArrayData unlabelled(float[] features, DataSpec spec) {
        return new ArrayData(features, null, null, spec, Math.toIntExact(features.length / spec.sampleSize()));
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public DataSpec spec() {
        return spec;
    }

    @Override
    public boolean hasTargets() {
        return labels != null || values != null;
    }

    @Override
    public boolean read(int index, long epoch, BatchBuffers batch) {
        batch.input(features, index * size);
        if (labels != null) {
            batch.label(labels[index]);
        } else if (values != null) {
            batch.targets(values, index * spec.targets());
        }
        return true;
    }
}
