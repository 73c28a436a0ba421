package dev.stride.engine.djl.data;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stride's one loader core, for every data set of the engine: the samples of a {@link Samples}
 * source in the order {@link EpochOrder} gives for (seed, epoch), in batches, optionally built
 * ahead on background threads ({@code prefetch}, {@code workers}). Any batch of any epoch is
 * built without the ones before it, so a resumed run starts at its batch in O(1).
 *
 * <p>Sharded ({@code shards > 1}, data-parallel training), every shard walks the same order in
 * global batches of {@code batch-size * shards} samples and takes its own equal part of each, so
 * the shards together see the batches of one loader with the global batch size. Except at the end
 * of an epoch whose remainder is too short to give every shard a sample: without drop-last it
 * joins the last global batch (whose shards then hold up to one sample more than batch-size), so
 * the shards still see every sample once and have as many batches each; one loader with the
 * global batch size would make it a batch of its own.
 */
public final class DjlDataLoader implements DataLoader {
    private static final Logger LOG = LoggerFactory.getLogger(DjlDataLoader.class);
    /** Skipped samples named in the end-of-epoch log line. */
    private static final int NAMED = 10;

    private final Samples data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final int workers;
    private final BuildThreads threads;
    private final int shard;
    private final int shards;

    DjlDataLoader(Samples data, LoaderOptions o, long seed) {
        this.data = data;
        this.batchSize = o.batchSize();
        this.shuffle = o.shuffle();
        this.dropLast = o.dropLast();
        this.seed = seed;
        this.prefetch = o.prefetch() == LoaderOptions.AUTO ? LoaderOptions.autoPrefetch(data.spec(), batchSize) : o.prefetch();
        this.workers = o.workers();
        this.threads = new BuildThreads(workers);
        this.shard = o.shard();
        this.shards = o.shards();
    }

    @Override
    public int batchesPerEpoch() {
        int n = data.count();
        int global = batchSize * shards;
        int rest = n % global;
        // a short last batch is kept unless drop-last; one too short to give every shard a sample joins the batch
        // before it (batch()), so that the shards together still cover every sample
        return n / global + (rest > 0 && !dropLast && rest >= shards ? 1 : 0);
    }

    @Override
    public long samples() {
        return data.count();
    }

    @Override
    public DataSpec spec() {
        return data.spec();
    }

    @Override
    public boolean hasTargets() {
        return data.hasTargets();
    }

    @Override
    public float[] targetValues(float[] outputs) {
        return data.targetValues(outputs);
    }

    @Override
    public String sampleName(long index) {
        if (index < 0 || index >= data.count()) {
            throw new IndexOutOfBoundsException("sample " + index + " of " + data.count());
        }
        return data.sampleName((int) index);
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        data.saveState(state);
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        data.loadState(state);
    }

    @Override
    public BatchStream open(long epoch, int firstBatch) {
        int end = batchesPerEpoch();
        if (firstBatch < 0 || firstBatch > end) {
            throw new IllegalArgumentException("batch " + firstBatch + " is outside 0.." + end);
        }
        int[] order = EpochOrder.of(data.count(), shuffle, seed, epoch);
        ConcurrentLinkedQueue<Integer> skipped = new ConcurrentLinkedQueue<>();
        Runnable report = () -> reportSkipped(epoch, skipped);
        if (prefetch > 0 && firstBatch < end) {
            return new PrefetchStream(i -> batch(order, i, epoch, skipped), firstBatch, end, threads.pool(), workers, prefetch,
                    report);
        }
        return new SequentialStream(order, epoch, firstBatch, end, skipped, report);
    }

    /** Builds batch {@code index} of an epoch's order. */
    DjlBatch batch(int[] order, int index, long epoch, ConcurrentLinkedQueue<Integer> skipped) {
        int globalFrom = index * batchSize * shards;
        // the last batch takes every sample left (more than a full batch when a remainder joined it)
        int global = !dropLast && index == batchesPerEpoch() - 1 ? order.length - globalFrom
                : Math.min(order.length, globalFrom + batchSize * shards) - globalFrom;
        int from = globalFrom + (int) ((long) global * shard / shards);
        int to = globalFrom + (int) ((long) global * (shard + 1) / shards);
        int n = to - from;
        BatchBuffers b = new BatchBuffers(data.spec(), data.hasTargets(), n);
        try {
            for (int i = 0; i < n; i++) {
                int s = order[from + i];
                if (data.read(s, epoch, b)) {
                    b.commit();
                } else {
                    skipped.add(s);
                }
            }
            if (b.rows() == 0) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add(data.describe(order[from + i]));
                }
                throw new BadInputException(data.name() + ": every sample of batch " + index + " of epoch " + (epoch + 1)
                        + " was skipped as unreadable: " + String.join(", ", names));
            }
            return b.build();
        } catch (RuntimeException | Error e) {
            b.discard();
            throw e;
        }
    }

    private void reportSkipped(long epoch, ConcurrentLinkedQueue<Integer> skipped) {
        if (skipped.isEmpty()) {
            return;
        }
        List<Integer> sorted = new ArrayList<>(skipped);
        sorted.sort(null);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(NAMED, sorted.size()); i++) {
            names.add(data.describe(sorted.get(i)));
        }
        LOG.warn("{}: skipped {} unreadable sample{} in epoch {} (skip-bad = true): {}{}", data.name(), sorted.size(),
                sorted.size() == 1 ? "" : "s", epoch + 1, String.join(", ", names), sorted.size() > NAMED ? ", ..." : "");
    }

    private final class SequentialStream implements BatchStream {
        private final int[] order;
        private final long epoch;
        private final int end;
        private final ConcurrentLinkedQueue<Integer> skipped;
        private final Runnable onClose;
        private int next;
        private boolean closed;

        SequentialStream(int[] order, long epoch, int first, int end, ConcurrentLinkedQueue<Integer> skipped, Runnable onClose) {
            this.order = order;
            this.epoch = epoch;
            this.next = first;
            this.end = end;
            this.skipped = skipped;
            this.onClose = onClose;
        }

        @Override
        public boolean hasNext() {
            return !closed && next < end;
        }

        @Override
        public DjlBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch has " + end + " batches");
            }
            return batch(order, next++, epoch, skipped);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                onClose.run();
            }
        }
    }
}
