package dev.stride.launcher.spark;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets several ranks or trials share one JVM (Spark's {@code local[N]} mode, or executors with
 * more than one core): DJL allows only one open gradient collector per JVM, and PyTorch's random
 * generator that seeds initial weights and dropout is global. So whatever builds a model, or runs
 * a train or val step, or loads gradients, holds this lock; no one holds it while waiting for the
 * other ranks. With one task per executor JVM (the recommended set-up) it is never contended.
 */
final class CollectorLock {
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private CollectorLock() {}

    /** Takes the lock, checking {@code checkCancelled} while waiting so that a killed task does not hang here. */
    static void take(Runnable checkCancelled) {
        try {
            while (!LOCK.tryLock(100, TimeUnit.MILLISECONDS)) {
                checkCancelled.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for DJL's gradient collector", e);
        }
    }

    /** Lets go of the lock if this thread holds it. */
    static void release() {
        if (LOCK.isHeldByCurrentThread()) {
            LOCK.unlock();
        }
    }

    /** Lets go of every hold of this thread (after a failure in the middle of an iteration). */
    static void releaseAll() {
        while (LOCK.isHeldByCurrentThread()) {
            LOCK.unlock();
        }
    }

    /**
     * Holds the lock around each step of the model: registered at priority 0, it takes the lock
     * before the other before-iteration hooks and lets go of it before the other after-iteration
     * hooks. (The allreduce hook takes it again to load the summed gradients.)
     */
    static final class Turns implements Hook {
        private final Runnable checkCancelled;

        Turns(Runnable checkCancelled) {
            this.checkCancelled = checkCancelled;
        }

        @Override
        public String name() {
            return "collector-turns";
        }

        @Override
        public void beforeIter(Runner runner) {
            take(checkCancelled);
        }

        @Override
        public void afterIter(Runner runner) {
            release();
        }
    }
}
