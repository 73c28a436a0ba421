package dev.stride.runner.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apiguardian.api.API;

/**
 * The ranks of a data-parallel run played by threads of one JVM, for tests of what sums over the
 * ranks ({@link dev.stride.runner.api.Runner#sumOverRanks}, {@link dev.stride.runner.api.Runner#valSplit}):
 * {@link #sum(int)} is an allreduce that waits for every rank, as Spark's ranks get from their
 * collective; {@link #run} runs each rank's work on its own thread.
 *
 * <pre>{@code
 * ThreadRanks ranks = new ThreadRanks(2);
 * List<Double> accuracy = ranks.run(r -> {
 *     Harness h = Harness.epochs(1).rank(r, ranks, true).val(halves.get(r)).workflow("[[train, 1], [val, 1]]");
 *     h.run();
 *     return h.runner().logBuffer(Mode.VAL).average(0).get("accuracy");
 * });
 * }</pre>
 *
 * <p>Every rank adds the arrays in rank order, so all get the same sums. A rank that waits more
 * than 30 s for the others fails with an {@link IllegalStateException}, as does a sum of arrays
 * of different lengths (on every rank); once a rank of {@link #run} failed, the others' sums fail
 * at once instead of waiting for it.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ThreadRanks {
    private static final long TIMEOUT_SECONDS = 30;

    private final int size;
    private final double[][] given;
    private volatile Phaser arrived;
    private volatile Phaser read;

    /** @param size ranks, at least 1 */
    public ThreadRanks(int size) {
        if (size < 1) {
            throw new IllegalArgumentException(size + " ranks");
        }
        this.size = size;
        this.given = new double[size][];
        this.arrived = new Phaser(size);
        this.read = new Phaser(size);
    }

    /** The number of ranks. */
    public int size() {
        return size;
    }

    /** Rank {@code rank}'s sum over the ranks: element by element, in place, once every rank called it. */
    public Consumer<double[]> sum(int rank) {
        if (rank < 0 || rank >= size) {
            throw new IllegalArgumentException("rank " + rank + " of " + size);
        }
        return values -> {
            given[rank] = values.clone();
            await(arrived);
            double[] total = new double[values.length];
            for (int r = 0; r < size; r++) {
                if (given[r].length != values.length) {
                    throw new IllegalStateException("rank " + rank + " summed " + values.length + " values, rank " + r + " "
                            + given[r].length);
                }
                for (int i = 0; i < total.length; i++) {
                    total[i] += given[r][i];
                }
            }
            await(read);
            System.arraycopy(total, 0, values, 0, values.length);
        };
    }

    /**
     * Runs {@code work} for every rank at once, each on its own thread, and returns what each
     * returned, in rank order.
     *
     * @throws IllegalStateException carrying the first failure (in time) of a rank as its cause
     */
    public <T> List<T> run(IntFunction<T> work) {
        if (arrived.isTerminated() || read.isTerminated()) {
            arrived = new Phaser(size); // a failed run ended the last ones
            read = new Phaser(size);
        }
        AtomicReference<Throwable> first = new AtomicReference<>();
        AtomicInteger firstRank = new AtomicInteger(-1);
        ExecutorService threads = Executors.newFixedThreadPool(size);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                futures.add(threads.submit(() -> {
                    Thread.currentThread().setName("rank-" + rank);
                    try {
                        return work.apply(rank);
                    } catch (RuntimeException | Error e) {
                        if (first.compareAndSet(null, e)) {
                            firstRank.set(rank);
                        }
                        // the others are not left waiting for this rank: their sums, now and later, fail at once
                        arrived.forceTermination();
                        read.forceTermination();
                        throw e;
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (first.get() != null) {
                throw new IllegalStateException("rank " + firstRank.get() + " failed first: " + first.get(), first.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(Phaser phaser) {
        int phase = phaser.arrive();
        try {
            if (phase < 0 || phaser.awaitAdvanceInterruptibly(phase, TIMEOUT_SECONDS, TimeUnit.SECONDS) < 0) {
                throw new IllegalStateException("another rank failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the other ranks", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the other ranks did not sum within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public String toString() {
        return size + " ranks on threads";
    }
}
