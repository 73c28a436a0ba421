package dev.stride.engine.djl.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.model.Djl;
import dev.stride.runner.api.DataSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The direct buffers of one batch being built, row by row: inputs as float32, targets as int64
 * class labels, float32 regression values or none. The engine takes the buffers without another
 * copy. A source writes a row's input at {@link #inputOffset()} and its target, then the builder
 * commits it; a skipped sample leaves no row.
 */
final class BatchBuffers {
    private final long[] sampleShape;
    private final int sampleSize;
    private final int targets;
    private final boolean regression;
    private final ByteBuffer xBytes;
    private final FloatBuffer x;
    private final ByteBuffer yBytes;
    private int rows;

    BatchBuffers(DataSpec spec, boolean hasTargets, int capacity) {
        this.sampleShape = spec.sampleShape();
        this.sampleSize = Math.toIntExact(spec.sampleSize());
        this.regression = spec.isRegression();
        this.targets = hasTargets ? (regression ? spec.targets() : 1) : 0;
        this.xBytes = ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(capacity, sampleSize), Float.BYTES))
                .order(ByteOrder.nativeOrder());
        this.x = xBytes.asFloatBuffer();
        this.yBytes = targets == 0 ? null
                : ByteBuffer.allocateDirect(capacity * targets * (regression ? Float.BYTES : Long.BYTES)).order(ByteOrder.nativeOrder());
    }

    /** The inputs of every row, one sample of {@link #sampleSize()} floats after the other. */
    FloatBuffer inputs() {
        return x;
    }

    /** Where the current row's input starts in {@link #inputs()}. */
    int inputOffset() {
        return rows * sampleSize;
    }

    int sampleSize() {
        return sampleSize;
    }

    /** Writes the current row's input from {@code values[from, from + sampleSize)}. */
    void input(float[] values, int from) {
        x.put(rows * sampleSize, values, from, sampleSize);
    }

    /** The current row's class label. */
    void label(long label) {
        if (yBytes != null) {
            yBytes.putLong(rows * Long.BYTES, label);
        }
    }

    /** The current row's regression targets from {@code values[from, from + targets)}. */
    void targets(float[] values, int from) {
        if (yBytes != null) {
            for (int t = 0; t < targets; t++) {
                yBytes.putFloat((rows * targets + t) * Float.BYTES, values[from + t]);
            }
        }
    }

    /** The current row is complete. */
    void commit() {
        rows++;
    }

    int rows() {
        return rows;
    }

    /** The batch of the committed rows, owned by a new manager. */
    DjlBatch build() {
        int n = rows;
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        xBytes.limit(n * sampleSize * Float.BYTES);
        NDManager manager = Djl.manager().newSubManager();
        try {
            NDArray xs = manager.create(xBytes, new Shape(shape), DataType.FLOAT32);
            NDArray ys = null;
            if (yBytes != null) {
                if (regression) {
                    yBytes.limit(n * targets * Float.BYTES);
                    ys = manager.create(yBytes, new Shape(n, targets), DataType.FLOAT32);
                } else {
                    yBytes.limit(n * Long.BYTES);
                    ys = manager.create(yBytes, new Shape(n), DataType.INT64);
                }
            }
            return new DjlBatch(manager, xs, ys, n);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }
}
