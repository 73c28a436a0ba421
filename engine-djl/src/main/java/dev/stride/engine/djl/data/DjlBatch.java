package dev.stride.engine.djl.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stride.runner.api.Batch;

/** A batch as DJL arrays: inputs {@code x} and int64 labels {@code y}, freed together on close. */
public final class DjlBatch implements Batch {
    private final NDManager manager;
    private final NDArray x;
    private final NDArray y;
    private final int size;

    DjlBatch(NDManager manager, NDArray x, NDArray y, int size) {
        this.manager = manager;
        this.x = x;
        this.y = y;
        this.size = size;
    }

    public NDArray x() {
        return x;
    }

    public NDArray y() {
        return y;
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
