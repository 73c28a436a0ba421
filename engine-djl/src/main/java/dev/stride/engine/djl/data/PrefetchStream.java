package dev.stride.engine.djl.data;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Builds the batches {@code first..end-1} of an epoch on {@code workers} background threads while
 * the current step runs, and hands them out in order. At most {@code depth} batches are built
 * ahead of the one taken (at least one per worker). Each batch is built whole by one thread; what
 * it holds does not depend on the thread, so the order and content are those of a sequential
 * loop. Closing it stops the threads and frees the batches nobody took.
 */
final class PrefetchStream implements BatchStream {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final IntFunction<DjlBatch> build;
    private final int end;
    private final int depth;
    private final ExecutorService pool;
    private final ArrayDeque<Future<DjlBatch>> ahead = new ArrayDeque<>();
    private final Runnable onClose;
    private int next;
    private boolean closed;

    PrefetchStream(IntFunction<DjlBatch> build, int first, int end, int workers, int depth, Runnable onClose) {
        this.build = build;
        this.end = end;
        this.depth = Math.max(depth, workers);
        this.next = first;
        this.onClose = onClose;
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "stride-data-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    private void fill() {
        while (ahead.size() < depth && next < end) {
            int index = next++;
            ahead.add(pool.submit(() -> build.apply(index)));
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && !ahead.isEmpty();
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Future<DjlBatch> head = ahead.poll();
        fill();
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ahead.addFirst(head); // freed by close
            throw new IllegalStateException("interrupted while waiting for the next batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Future<DjlBatch> f : ahead) {
            f.cancel(false);
        }
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Future<DjlBatch> f : ahead) {
            if (f.isDone() && !f.isCancelled()) {
                try {
                    f.get().close();
                } catch (ExecutionException | CancellationException | InterruptedException ignored) {
                    // nothing was built
                }
            }
        }
        ahead.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        onClose.run();
    }
}
