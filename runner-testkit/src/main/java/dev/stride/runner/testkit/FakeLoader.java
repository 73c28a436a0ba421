package dev.stride.runner.testkit;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apiguardian.api.API;

/**
 * A data loader of {@code samples} integer sample ids ({@code idBase .. idBase + samples - 1}) in
 * batches of {@code batchSize}, the last one smaller. The order of an epoch is a seeded shuffle, a
 * pure function of (seed, epoch) ({@link #order}), as the {@link DataLoader} contract asks, so any
 * batch of any epoch can be opened directly. Its batches are {@link FakeBatch}es carrying (epoch,
 * index, sample ids).
 *
 * <p>It records every {@link #open} call ({@link #opened()}) and counts the batches it made and
 * those closed, and the streams it opened and those closed, so a test can check that a runner
 * closes everything it opens. Producing a batch may sleep ({@link #delayMillis}), for timers.
 *
 * <pre>{@code
 * FakeLoader train = FakeLoader.train(7, 10, 3); // ids 0..9, 4 batches of 3, 3, 3, 1
 * FakeLoader val = FakeLoader.val(7, 5, 2);      // ids 1000..1004
 * FakeLoader any = FakeLoader.of(4);             // 4 batches of 2 samples, when the data does not matter
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class FakeLoader implements DataLoader {
    private final String tag;
    private final long seed;
    private final int samples;
    private final int batchSize;
    private final int idBase;
    private final List<String> opened = Collections.synchronizedList(new ArrayList<>());
    private volatile long delayMillis;
    private int batchesCreated;
    private int batchesClosed;
    private int streamsOpened;
    private int streamsClosed;

    /**
     * @param tag names the loader in {@link FakeBatch#describe()}
     * @param seed seeds the order of every epoch
     * @param samples the number of samples, at least 0
     * @param batchSize samples per batch, at least 1
     * @param idBase the id of the first sample
     */
    public FakeLoader(String tag, long seed, int samples, int batchSize, int idBase) {
        if (samples < 0 || batchSize < 1) {
            throw new IllegalArgumentException("samples " + samples + ", batch size " + batchSize);
        }
        this.tag = tag;
        this.seed = seed;
        this.samples = samples;
        this.batchSize = batchSize;
        this.idBase = idBase;
    }

    /** A train loader, tagged {@code train}: ids {@code 0..samples-1}. */
    public static FakeLoader train(long seed, int samples, int batchSize) {
        return new FakeLoader("train", seed, samples, batchSize, 0);
    }

    /** A val loader, tagged {@code val}: ids {@code 1000..}. */
    public static FakeLoader val(long seed, int samples, int batchSize) {
        return new FakeLoader("val", seed, samples, batchSize, 1000);
    }

    /** {@code batches} batches of 2 samples (seed 0, tagged {@code fake}), for tests that do not care about the data. */
    public static FakeLoader of(int batches) {
        return of(batches, 2);
    }

    /** {@code batches} batches of {@code batchSize} samples (seed 0, tagged {@code fake}). */
    public static FakeLoader of(int batches, int batchSize) {
        if (batches < 0) {
            throw new IllegalArgumentException("batches " + batches);
        }
        return new FakeLoader("fake", 0, batches * batchSize, batchSize, 0);
    }

    /** Makes producing each batch sleep {@code millis} (data loading time, for timers); returns this loader. */
    public FakeLoader delayMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("delay " + millis + " ms");
        }
        this.delayMillis = millis;
        return this;
    }

    /** The permutation of {@code 0..samples-1} used in {@code epoch}: a pure function of (seed, epoch). */
    public static int[] order(long seed, long epoch, int samples) {
        int[] p = new int[samples];
        for (int i = 0; i < samples; i++) {
            p[i] = i;
        }
        Random r = new Random(seed * 0x5DEECE66DL + 31 * epoch + 17);
        for (int i = samples - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The sample ids of batch {@code index} of {@code epoch}. */
    public int[] batchIds(long epoch, int index) {
        int[] order = order(seed, epoch, samples);
        int from = index * batchSize;
        int to = Math.min(samples, from + batchSize);
        int[] ids = Arrays.copyOfRange(order, from, to);
        for (int i = 0; i < ids.length; i++) {
            ids[i] += idBase;
        }
        return ids;
    }

    /** The tag its batches carry, e.g. {@code train}. */
    public String tag() {
        return tag;
    }

    @Override
    public int batchesPerEpoch() {
        return (samples + batchSize - 1) / batchSize;
    }

    @Override
    public long samples() {
        return samples;
    }

    /** One feature per sample, two classes. */
    @Override
    public DataSpec spec() {
        return new DataSpec(new long[] {1}, 2);
    }

    /**
     * @throws IllegalArgumentException when {@code epoch} is negative or {@code firstBatch} is outside
     *     {@code 0..batchesPerEpoch()}
     */
    @Override
    public BatchStream open(long epoch, int firstBatch) {
        if (epoch < 0 || firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("open(" + epoch + ", " + firstBatch + ") of a loader with "
                    + batchesPerEpoch() + " batches");
        }
        opened.add("e" + epoch + " b" + firstBatch);
        streamsOpened++;
        return new BatchStream() {
            private int next = firstBatch;
            private boolean closed;

            @Override
            public boolean hasNext() {
                return !closed && next < batchesPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                sleep(delayMillis);
                batchesCreated++;
                int i = next++;
                return new FakeBatch(FakeLoader.this, epoch, i, batchIds(epoch, i));
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    streamsClosed++;
                }
            }
        };
    }

    void batchClosed() {
        batchesClosed++;
    }

    /** Every {@link #open} call, as {@code e<epoch> b<firstBatch>}. */
    public List<String> opened() {
        return List.copyOf(opened);
    }

    /** Batches made so far. */
    public int batchesCreated() {
        return batchesCreated;
    }

    /** Batches closed so far. */
    public int batchesClosed() {
        return batchesClosed;
    }

    /** Streams opened so far ({@link #open} calls). */
    public int streamsOpened() {
        return streamsOpened;
    }

    /** Streams closed so far. */
    public int streamsClosed() {
        return streamsClosed;
    }

    /** Sleeps without a checked exception; an interrupt is kept and ends the sleep with an {@link IllegalStateException}. */
    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping " + millis + " ms", e);
        }
    }
}
