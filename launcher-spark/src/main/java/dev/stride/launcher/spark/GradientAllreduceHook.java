package dev.stride.launcher.spark;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Data-parallel training: after each train iteration, before the optimizer hook steps
 * ({@link #PRIORITY} 39, the optimizer hook is 40), every rank's gradients are summed over all
 * ranks and, with {@code dist.reduce = mean}, multiplied by one over their number, so every rank
 * then takes the same step, the step one process would take on the global batch. Before the run, every rank takes rank 0's weights, so
 * they start equal even if initialisation were not deterministic.
 *
 * <p>Gradients travel in one allreduce per iteration, in the optimizer's fixed order, edited in
 * place ({@link dev.stride.runner.api.Optimizer#editGradients}). Any model whose
 * state and gradients are float tensors works: the DJL engine's models of every kind (frozen
 * parameters have no gradient and do not travel). Buffers ({@link
 * dev.stride.runner.api.Model#editBuffers}: BatchNorm's running statistics, which each rank
 * updates from its own batches) travel in the same allreduce, zeroed on every rank but 0: so
 * after each iteration every rank holds rank 0's, as PyTorch's DistributedDataParallel gives
 * every rank rank 0's buffers before each forward pass (without SyncBatchNorm). The ranks then
 * validate, stop early and end alike.
 */
final class GradientAllreduceHook implements Hook {
    /** Just before the optimizer hook (ABOVE_NORMAL, 40). */
    static final int PRIORITY = 39;

    private final Collective collective;
    private final boolean mean;
    private final Runnable checkCancelled;
    private final Timings iterations = new Timings();
    private long lastIteration;
    private int valPhases;
    private long valNanos;
    private long valStart;

    /**
     * @param mean multiply the sums by one over the number of ranks ({@code dist.reduce = mean})
     * @param checkCancelled throws when Spark killed the task
     */
    GradientAllreduceHook(Collective collective, boolean mean, Runnable checkCancelled) {
        this.collective = collective;
        this.mean = mean;
        this.checkCancelled = checkCancelled;
    }

    @Override
    public String name() {
        return "gradient-allreduce";
    }

    /** The time from one train iteration's allreduce to the next one's. */
    Timings iterations() {
        return iterations;
    }

    /** The val phases this rank ran. */
    int valPhases() {
        return valPhases;
    }

    /** Their total time in seconds, from before-val-epoch to after it (the ranks' sum of their val results included). */
    double valSeconds() {
        return valNanos / 1e9;
    }

    @Override
    public void beforeValEpoch(Runner runner) {
        valStart = System.nanoTime();
    }

    @Override
    public void afterValEpoch(Runner runner) {
        valPhases++;
        valNanos += System.nanoTime() - valStart;
    }

    @Override
    public void beforeRun(Runner runner) {
        Checkpoint.Section params = new Checkpoint().section("", "");
        runner.model().saveState(params);
        FlatTensors flat = FlatTensors.of(params);
        if (!runner.isMainProcess()) {
            Arrays.fill(flat.values(), 0f);
        }
        collective.sum(flat.values());
        // rank 0's float tensors, summed with the zeros of the others; integer buffers (BatchNorm's step
        // counter) are equal on every rank before training and stay as they are
        Checkpoint.Section start = flat.toSection("", "");
        for (String name : params.tensorNames()) {
            if (start.tensor(name) == null) {
                start.putTensor(name, params.tensor(name));
            }
        }
        CollectorLock.take(checkCancelled);
        try {
            runner.model().loadState(start);
        } finally {
            CollectorLock.release();
        }
    }

    @Override
    public void afterTrainIter(Runner runner) {
        long now = System.nanoTime();
        if (lastIteration != 0) {
            iterations.add(1, now - lastIteration);
        }
        lastIteration = now;
        // the gradients, summed in place over the ranks in one allreduce: the engine hands out views of
        // their own memory (DjlOptimizer), so nothing is copied but into and out of the allreduce's
        // buffer, and no gradient collector is needed, so CollectorLock is not taken (ranks sharing a
        // JVM must not hold it while they wait for each other)
        boolean rank0 = runner.isMainProcess();
        runner.optimizer().editGradients(gradients -> runner.model().editBuffers(buffers -> {
            if (!rank0) {
                buffers.forEach(GradientAllreduceHook::zero);
            }
            List<FloatBuffer> parts = new ArrayList<>(gradients);
            parts.addAll(buffers);
            collective.sum(parts); // the gradients summed, the buffers rank 0's (x + 0 + ... + 0 = x)
        }));
        if (mean) {
            // in the engine, one op per tensor: a loop over the views here cost 0.7 ms per iteration for the
            // MLP's 235k gradients (C1-compiled executors). A multiplication by 1/n is exactly the division for
            // world sizes that are powers of two, and within the last bit of it for others
            runner.optimizer().scaleGrads(1.0 / runner.worldSize());
        }
    }

    private static void zero(FloatBuffer view) {
        FloatBuffer v = view.duplicate();
        while (v.hasRemaining()) {
            v.put(0f);
        }
    }
}
