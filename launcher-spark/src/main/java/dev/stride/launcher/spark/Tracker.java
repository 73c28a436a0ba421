package dev.stride.launcher.spark;

import java.time.Duration;
import java.util.Map;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XGBoost's tracker, which introduces the ranks to each other. Rank 0 starts a fresh one for
 * every attempt of the training stage, so that a retried stage never meets the state of a failed
 * one; the others learn its address from rank 0.
 */
final class Tracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    private final RabitTracker tracker;

    private Tracker(RabitTracker tracker) {
        this.tracker = tracker;
    }

    /**
     * @param host an address of this machine the other ranks can reach
     * @param timeout how long it waits for all ranks to join
     */
    static Tracker start(int workers, String host, Duration timeout) {
        try {
            RabitTracker t = new RabitTracker(workers, host, 0, (int) Math.max(1, timeout.toSeconds()));
            t.start();
            return new Tracker(t);
        } catch (XGBoostError e) {
            throw new CollectiveException("could not start XGBoost's tracker on " + host + ": " + e.getMessage(), e);
        }
    }

    /** What each rank needs to join (the tracker's address). */
    Map<String, Object> workerArgs() {
        try {
            return tracker.getWorkerArgs();
        } catch (XGBoostError e) {
            throw new CollectiveException("XGBoost's tracker gave no address: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            tracker.stop();
        } catch (XGBoostError | RuntimeException e) {
            LOG.warn("Could not stop XGBoost's tracker: {}", e.getMessage());
        }
    }
}
