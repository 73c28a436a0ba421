package dev.stride.engine.djl.data;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Prepares the next batches of a stream on a background thread while the current step runs. The
 * order is the source's; at most {@code depth} batches wait. Closing it stops the thread and frees
 * the batches nobody took.
 */
final class PrefetchStream implements BatchStream {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private volatile boolean closed;
    private Object head;

    PrefetchStream(BatchStream source, int depth) {
        this.queue = new ArrayBlockingQueue<>(depth);
        this.worker = new Thread(() -> produce(source), "stride-data-prefetch");
        worker.setDaemon(true);
        worker.start();
    }

    private void produce(BatchStream source) {
        try (source) {
            while (!closed && source.hasNext()) {
                Batch b = source.next();
                try {
                    queue.put(b);
                } catch (InterruptedException e) {
                    b.close();
                    return;
                }
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            try {
                queue.put(e);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Object peek() {
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
        if (head instanceof RuntimeException e) {
            throw e;
        }
        if (head instanceof Error e) {
            throw e;
        }
        return head;
    }

    @Override
    public boolean hasNext() {
        return peek() != END;
    }

    @Override
    public Batch next() {
        Object o = peek();
        if (o == END) {
            throw new NoSuchElementException();
        }
        head = null;
        return (Batch) o;
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (head instanceof Batch b) {
            b.close();
        }
        head = null;
        for (Object o; (o = queue.poll()) != null; ) {
            if (o instanceof Batch b) {
                b.close();
            }
        }
    }
}
