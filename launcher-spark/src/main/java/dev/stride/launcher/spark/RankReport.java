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
 * @param problem why this rank could not build its job (bad input only it could see), or null
 */
record RankReport(int rank, int attempt, String host, long pid, int epoch, long iter, String outcome, String weights,
        String resumedFrom, int allreduces, long floats, double allreduceMeanMillis, double allreduceMedianMillis,
        double allreduceMaxMillis, double iterationMillis, int valPhases, double valSeconds, String problem)
        implements Serializable { // java-serialization: Spark returns it from the executors
    private static final long serialVersionUID = 1L;

    /** A rank that did not train because a rank (this one when {@code problem} is not null) could not build its job. */
    static RankReport refused(int rank, int attempt, String host, long pid, String problem) {
        return new RankReport(rank, attempt, host, pid, 0, 0, "REFUSED", "", null, 0, 0, 0, 0, 0, 0, 0, 0, problem);
    }
}
