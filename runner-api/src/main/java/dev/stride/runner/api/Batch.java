package dev.stride.runner.api;

import org.apiguardian.api.API;

/**
 * One batch of samples, opaque to the runner: only the engine's {@link Model} reads it. Closing it
 * frees what the engine allocated for it.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Batch extends AutoCloseable {
    /** Samples in this batch. */
    int size();

    @Override
    void close();
}
