package dev.stride.runner.api;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The engine-neutral view of an optimizer: it updates the model's parameters from the gradients
 * its train steps left, and its whole state (momentum buffers, moments, step counts) can be saved.
 *
 * <p>Called from the runner's thread only.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Optimizer {
    /** The parameter groups; at least one. */
    List<ParamGroup> paramGroups();

    /** Updates the parameters from the current gradients. Does not zero them. */
    void step();

    /** Sets every gradient to zero. */
    void zeroGrad();

    /** The global L2 norm of all gradients. */
    double gradNorm();

    /** Multiplies every gradient by {@code factor} (clipping, averaging accumulated gradients). */
    void scaleGrads(double factor);

    /**
     * Writes the current gradients as tensors named by parameter, for a checkpoint taken while
     * gradients are being accumulated over several iterations.
     */
    void saveGradients(Checkpoint.Section state);

    /** Sets the gradients to what {@link #saveGradients} wrote; absent ones stay as they are. */
    void loadGradients(Checkpoint.Section state);

    /** Writes the optimizer's tensors ({@code <param>.<slot>}) and counters. */
    void saveState(Checkpoint.Section state);

    /** Reads back what {@link #saveState} wrote; absent state leaves a fresh optimizer. */
    void loadState(Checkpoint.Section state);
}
