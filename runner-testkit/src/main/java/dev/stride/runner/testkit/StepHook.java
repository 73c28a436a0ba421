package dev.stride.runner.testkit;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Runner;
import org.apiguardian.api.API;

/**
 * A minimal optimizer hook for runner tests that have no {@code optimizer} hook on their class
 * path: after every {@code accumulate}-th train iteration ({@code (iter + 1) % accumulate == 0}) it
 * averages the accumulated gradients, steps the optimizer and zeroes the gradients.
 *
 * <p>It keeps state, under the name {@code step}: the steps it took ({@link #stepsTaken()}) and the
 * gradients accumulated when a checkpoint is taken, restored on resume, so a resumed run continues
 * exactly.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class StepHook implements Hook {
    private final Optimizer optimizer;
    private final int accumulate;
    private long stepsTaken;

    /**
     * @param accumulate train iterations per optimizer step, at least 1
     */
    public StepHook(Optimizer optimizer, int accumulate) {
        if (accumulate < 1) {
            throw new IllegalArgumentException("accumulate " + accumulate);
        }
        this.optimizer = optimizer;
        this.accumulate = accumulate;
    }

    @Override
    public String name() {
        return "step";
    }

    @Override
    public void afterTrainIter(Runner runner) {
        if ((runner.iter() + 1) % accumulate == 0) {
            if (accumulate > 1) {
                optimizer.scaleGrads(1.0 / accumulate);
            }
            optimizer.step();
            optimizer.zeroGrad();
            stepsTaken++;
        }
    }

    /** Optimizer steps taken, counted across resumes. */
    public long stepsTaken() {
        return stepsTaken;
    }

    /** Writes {@code steps-taken} and the current gradients. */
    @Override
    public void saveState(Checkpoint.Section state) {
        state.put("steps-taken", stepsTaken);
        optimizer.saveGradients(state);
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        stepsTaken = state.getLong("steps-taken", 0);
        optimizer.loadGradients(state);
    }
}
