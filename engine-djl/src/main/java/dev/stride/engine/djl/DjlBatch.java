package dev.stride.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stride.runner.api.Batch;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A batch as DJL arrays, freed together on close: inputs {@code x} of shape
 * {@code [n, sample shape...]} (float32), and targets {@code y}: int64 class labels {@code [n]}
 * (classification), float32 values {@code [n, targets]} (regression), or none (data to predict
 * on).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class DjlBatch implements Batch {
    private final NDManager manager;
    private final NDArray x;
    private final @Nullable NDArray y;
    private final int size;

    /**
     * @param manager owns {@code x} and {@code y}; closed with the batch
     * @param size the samples in the batch (the first dimension of {@code x})
     */
    public DjlBatch(NDManager manager, NDArray x, @Nullable NDArray y, int size) {
        this.manager = manager;
        this.x = x;
        this.y = y;
        this.size = size;
    }

    public NDArray x() {
        return x;
    }

    /**
     * The targets.
     *
     * @throws IllegalStateException when the batch has none (data to predict on)
     */
    public NDArray y() {
        if (y == null) {
            throw new IllegalStateException("this batch has no targets (data to predict on)");
        }
        return y;
    }

    /** Whether the batch carries targets. */
    public boolean hasTargets() {
        return y != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void close() {
        manager.close();
    }
}
