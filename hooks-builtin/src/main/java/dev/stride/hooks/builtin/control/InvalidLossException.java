package dev.stride.hooks.builtin.control;

import dev.stride.runner.api.BadInputException;
import java.util.Locale;

/**
 * Training produced a NaN or infinite loss: the training diverged (too high a learning rate,
 * exploding gradients, bad data), which the config has to change, so it is reported as the
 * user's (exit status 2, no stack trace) and not as a bug of a hook. The message names where it
 * happened and what to try.
 */
public final class InvalidLossException extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final double loss;
    private final int epoch;
    private final long iter;

    /**
     * @param epoch the epoch of the step, 1-based
     * @param iter the global train iteration of the step, 1-based
     * @param batch the step's place in its epoch, e.g. {@code " (batch 5/12 of the epoch)"}, or empty
     */
    public InvalidLossException(double loss, int epoch, long iter, String batch) {
        super(String.format(Locale.ROOT, "The loss is %s at epoch %d, iteration %d%s: training stopped."
                + " Checkpoints written before it are kept; lower the learning rate, clip the gradients"
                + " (grad-clip.max-norm) or check the data, then resume from the last checkpoint, or set"
                + " action = skip on the invalid-loss hook to skip such batches.", loss, epoch, iter, batch));
        this.loss = loss;
        this.epoch = epoch;
        this.iter = iter;
    }

    public double loss() {
        return loss;
    }

    /** The epoch of the bad step, 1-based. */
    public int epoch() {
        return epoch;
    }

    /** The global train iteration of the bad step, 1-based. */
    public long iter() {
        return iter;
    }
}
