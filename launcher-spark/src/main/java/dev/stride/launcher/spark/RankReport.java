package dev.stride.launcher.spark;

import java.io.Serializable;

/**
 * What a rank reports to the driver when its training is done.
 *
 * @param weights a SHA-256 of the model's parameters: equal on every rank, or the ranks diverged
 * @param resumedFrom the checkpoint the attempt started from, or null
 * @param iterationMillis the median time between two train iterations' allreduces
 * @param valPhases the val phases (epochs) this rank ran
 * @param valSeconds their total time, from before-val-epoch to after it
 */
record RankReport(int rank, int attempt, String host, long pid, int epoch, long iter, String outcome, String weights,
        String resumedFrom, int allreduces, long floats, double allreduceMeanMillis, double allreduceMedianMillis,
        double allreduceMaxMillis, double iterationMillis, int valPhases, double valSeconds)
        implements Serializable { // java-serialization: Spark returns it from the executors
    private static final long serialVersionUID = 1L;
}
