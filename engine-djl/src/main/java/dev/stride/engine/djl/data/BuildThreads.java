package dev.stride.engine.djl.data;

import dev.stride.engine.djl.model.Djl;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that build one loader's batches ahead, kept from epoch to epoch: starting a thread
 * took 0.6-1.7 ms on a 2-core VM, paid twice per epoch (train and val) when every epoch's stream
 * made its own. Daemon threads, made on first use; each ends after a minute without work.
 */
final class BuildThreads {
    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final int workers;
    private ExecutorService pool;

    BuildThreads(int workers) {
        this.workers = workers;
    }

    /** The pool, started on first use. */
    synchronized ExecutorService pool() {
        if (pool == null) {
            int id = LOADERS.incrementAndGet();
            AtomicInteger made = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(workers, workers, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
                // one intra-op thread on 2 cores or fewer, whatever count a model's steps set last
                Runnable withThreads = () -> {
                    Djl.useThreads(Djl.threadsFor(false));
                    r.run();
                };
                Thread t = new Thread(withThreads, "stride-data-" + id + "-" + made.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }
}
