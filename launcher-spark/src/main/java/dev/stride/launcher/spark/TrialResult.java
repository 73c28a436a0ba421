package dev.stride.launcher.spark;

import java.io.Serializable;

/**
 * How one trial of a sweep ended.
 *
 * @param attempt the Spark task attempt that finished it (0 for the first)
 * @param resumedFrom the checkpoint that attempt resumed from, or null
 */
record TrialResult(Trial trial, String workDir, int epoch, long iter, String outcome, int attempt, String resumedFrom,
        double seconds, TrainingCurves curves)
        implements Serializable { // java-serialization: Spark returns it from the executors
    private static final long serialVersionUID = 1L;
}
