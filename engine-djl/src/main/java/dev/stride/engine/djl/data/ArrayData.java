package dev.stride.engine.djl.data;

import dev.stride.runner.api.DataSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A data set held in memory: {@code count} samples of {@code spec.sampleSize()} floats each, one
 * after the other, and their class labels (classification), their {@code spec.targets()}
 * regression values each (regression), or no targets.
 *
 * <p>The features live outside the Java heap (a direct buffer, filled once): in the heap, the
 * first young collection of a run copied them all (MNIST-10k's 31 MB: a 110 ms pause in the first
 * or second epoch of the reference job, with the serial collector ./stride uses on 2 cores).
 */
final class ArrayData implements Samples {
    private final FloatBuffer features;
    private final int[] labels;
    private final float[] values;
    private final DataSpec spec;
    private final int count;
    private final int size;

    /** Classification: one class label per sample. */
    ArrayData(float[] features, int[] labels, DataSpec spec) {
        this(offHeap(features), labels, spec);
    }

    /** Classification, the features already in a {@link #buffer(int)}. */
    ArrayData(FloatBuffer features, int[] labels, DataSpec spec) {
        this(features, labels, null, spec, labels.length);
    }

    private ArrayData(FloatBuffer features, int[] labels, float[] values, DataSpec spec, int count) {
        this.features = features;
        this.labels = labels;
        this.values = values;
        this.spec = spec;
        this.count = count;
        this.size = Math.toIntExact(spec.sampleSize());
        if ((long) count * size != features.capacity()) {
            throw new IllegalArgumentException(features.capacity() + " values for " + count + " samples of " + size);
        }
    }

    /** A direct buffer for {@code n} floats, which a data set fills in place (so they never pass through the heap). */
    static FloatBuffer buffer(int n) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(n, Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static FloatBuffer offHeap(float[] values) {
        return buffer(values.length).put(0, values);
    }

    /** Regression: {@code spec.targets()} values per sample in {@code values}. */
    static ArrayData regression(float[] features, float[] values, DataSpec spec) {
        return new ArrayData(offHeap(features), null, values, spec, values.length / spec.targets());
    }

    /** Without targets (data to predict on). */
    static ArrayData unlabelled(float[] features, DataSpec spec) {
        return new ArrayData(offHeap(features), null, null, spec, Math.toIntExact(features.length / spec.sampleSize()));
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
