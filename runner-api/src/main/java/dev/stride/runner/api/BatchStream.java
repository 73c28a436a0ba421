package dev.stride.runner.api;

import java.util.Iterator;
import org.apiguardian.api.API;

/** The batches of one epoch, in order. Closing it stops any background loading. */
@API(status = API.Status.STABLE, since = "0.1")
public interface BatchStream extends Iterator<Batch>, AutoCloseable {
    @Override
    void close();
}
