package dev.stride.runner.testkit;

import dev.stride.runner.api.Batch;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * A batch of a {@link FakeLoader}: which loader (its tag), epoch and batch index it is, and the
 * sample ids it holds. It records whether it was closed, and tells its loader, which counts the
 * batches closed.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class FakeBatch implements Batch {
    private final FakeLoader loader;
    private final long epoch;
    private final int index;
    private final int[] ids;
    private boolean closed;

    FakeBatch(FakeLoader loader, long epoch, int index, int[] ids) {
        this.loader = loader;
        this.epoch = epoch;
        this.index = index;
        this.ids = ids.clone();
    }

    /** The tag of the loader it came from, e.g. {@code train}. */
    public String tag() {
        return loader.tag();
    }

    /** The epoch (pass over the loader) it belongs to, 0-based. */
    public long epoch() {
        return epoch;
    }

    /** Its index in the epoch, 0-based. */
    public int index() {
        return index;
    }

    /** The sample ids, a copy. */
    public int[] ids() {
        return ids.clone();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            loader.batchClosed();
        }
    }

    /** {@code train e1 b2 [4, 7, 1]}: tag, epoch, index and sample ids. */
    public String describe() {
        return loader.tag() + " e" + epoch + " b" + index + " " + Arrays.toString(ids);
    }

    @Override
    public String toString() {
        return describe();
    }
}
