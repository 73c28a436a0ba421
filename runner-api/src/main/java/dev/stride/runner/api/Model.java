package dev.stride.runner.api;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The engine-neutral view of a model the runner drives. The runner never touches tensors: it asks
 * the model for a train step (forward and backward; gradients stay on the parameters until
 * {@link Optimizer#zeroGrad()}) or a val step (forward only), and reads back named scalars.
 *
 * <p>Called from the runner's thread only.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Model extends AutoCloseable {
    /**
     * Forward and backward on one batch. Gradients add up across calls until the optimizer zeroes
     * them, which is what gradient accumulation relies on.
     *
     * @param stepSeed seeds every random choice of this step (dropout...), so that a resumed run
     *     draws the same numbers as an uninterrupted one
     * @return at least {@code loss}
     */
    StepOutput trainStep(Batch batch, long stepSeed);

    /**
     * Forward only, no gradients.
     *
     * @return at least {@code loss}, and the metrics of the model's task, or the averages they are
     *     derived from ({@link #summarize}): a classifier's {@code accuracy} (top-1, a fraction in
     *     0..1), a regressor's {@code mae} ...
     */
    StepOutput valStep(Batch batch);

    /**
     * The true and the predicted class of every sample of a batch (forward only), for confusion
     * matrices and per-class accuracy.
     *
     * @throws UnsupportedOperationException when the model is not a classifier
     */
    default Predictions predict(Batch batch) {
        throw new UnsupportedOperationException(getClass().getName() + " does not predict classes");
    }

    /**
     * Per sample of a batch, forward only: the class probabilities (a classifier: one per class,
     * summing to 1) or the predicted values (regression: one per target). The batch need not have
     * targets. For {@code stride predict}.
     *
     * @throws UnsupportedOperationException when the model cannot say
     */
    default float[][] infer(Batch batch) {
        throw new UnsupportedOperationException(getClass().getName() + " does not infer");
    }

    /**
     * Per sample of a batch, its true target as numbers: the class label (one value) or the
     * regression values (one per target), without a forward pass. With {@link #infer} it gives
     * {@code stride test}'s table of true and predicted values.
     *
     * @throws UnsupportedOperationException when the model cannot say
     */
    default float[][] targets(Batch batch) {
        throw new UnsupportedOperationException(getClass().getName() + " does not read targets");
    }

    /**
     * Turns the averages of this model's val step outputs over an epoch (each scalar weighted by
     * the samples of its step) into the metrics to report. Metrics that are not averages of per
     * batch values are derived here from averages that are: {@code rmse} as the square root of the
     * mean squared error, {@code r2} from it and the target's mean and mean square. By default the
     * averages are the metrics. Loggers, evaluations and the hooks that judge metrics all see the
     * result.
     */
    default Map<String, Double> summarize(Map<String, Double> averages) {
        return averages;
    }

    /**
     * What the model was built for: the shape of a sample and its outputs (classes, with their
     * names when known, or regression targets), so the host can check data against it before the
     * first step; {@code null} when the model cannot tell.
     */
    default @Nullable DataSpec dataSpec() {
        return null;
    }

    /**
     * The model's layers, shapes and parameter counts, printed when a run starts and by
     * {@code --dry-run}; {@code null} when the model cannot tell.
     */
    default @Nullable ModelSummary summary() {
        return null;
    }

    /** Writes every parameter as a tensor of the section, named as the model names it. */
    void saveState(Checkpoint.Section state);

    /**
     * Reads back what {@link #saveState} wrote.
     *
     * @throws BadInputException when a parameter is missing or has another shape
     */
    void loadState(Checkpoint.Section state);

    /**
     * Runs {@code action} on the float32 state the model keeps but does not learn (buffers such as
     * BatchNorm's running mean and variance; not frozen parameters) as writable views, in a fixed
     * order (the same for the same model); what the action writes there becomes that state.
     * Data-parallel training gives every rank rank 0's buffers this way after each iteration, as
     * PyTorch's DistributedDataParallel does. The default hands an empty list: a model with such
     * buffers overrides it.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void editBuffers(Consumer<List<FloatBuffer>> action) {
        action.accept(List.of());
    }

    /**
     * Native tensors of the engine alive now (all models and batches of the process), to watch
     * for leaks; -1 when the engine cannot tell.
     */
    default long liveTensors() {
        return -1;
    }

    /** Frees the engine's resources. */
    @Override
    default void close() {}
}
