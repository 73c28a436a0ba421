package dev.stride.engine.djl.data;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Builds the batches {@code first..end-1} of an epoch on the loader's background threads while
 * the current step runs, and hands them out in order. At most {@code depth} batches are built
 * ahead of the one taken (at least one per worker), and the queue is topped up once it is down to
 * half of that: waking a parked thread costs the training thread 20-35 µs on a 2-core VM, paid
 * once per half-depth of batches instead of once per batch. Each batch is built whole by one
 * thread; what it holds does not depend on the thread, so the order and content are those of a
 * sequential loop. Closing it stops building (batches not started are skipped, those under way
 * finish) and frees the batches nobody took.
 */
final class PrefetchStream implements BatchStream {
    private final IntFunction<DjlBatch> build;
    private final int end;
    private final int depth;
    private final ExecutorService pool;
    private final ArrayDeque<Future<DjlBatch>> ahead = new ArrayDeque<>();
    private final Runnable onClose;
    private int next;
    /** Read by the building threads: a batch not started once the stream is closed is not built. */
    private volatile boolean closed;

    PrefetchStream(IntFunction<DjlBatch> build, int first, int end, ExecutorService pool, int workers, int depth,
            Runnable onClose) {
        this.build = build;
        this.end = end;
        this.depth = Math.max(depth, workers);
        this.next = first;
        this.onClose = onClose;
        this.pool = pool;
        fill();
    }

    private void fill() {
        while (ahead.size() < depth && next < end) {
            int index = next++;
            ahead.add(pool.submit(() -> closed ? null : build.apply(index)));
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
        if (ahead.size() <= depth / 2) {
            fill();
        }
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
        // every batch asked for is waited for: those not started return at once, those under way are built and
        // freed here, so nothing of this stream runs once it is closed
        boolean interrupted = false;
        for (Future<DjlBatch> f : ahead) {
            while (true) {
                try {
                    DjlBatch b = f.get();
                    if (b != null) {
                        b.close();
                    }
                    break;
                } catch (ExecutionException e) {
                    break; // it failed: nothing to free
                } catch (InterruptedException e) {
                    interrupted = true;
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
