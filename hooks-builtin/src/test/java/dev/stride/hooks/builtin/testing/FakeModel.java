package dev.stride.hooks.builtin.testing;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Tensor;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongToDoubleFunction;

/**
 * A model of one weight whose losses and val results are scripted: the loss of the n-th train
 * step (0-based, counted across resumes) is {@code lossAt(n)} and adds itself to the gradient; the
 * n-th val step reports {@code valAt(n)}. Steps may sleep, to test timers.
 */
public final class FakeModel implements Model {
    private final Weights weights;
    private LongToDoubleFunction lossAt = n -> 1.0 / (1 + n);
    private LongFunction<Map<String, Double>> valAt = n -> Map.of("loss", 0.5, "accuracy", 0.8);
    private long trainSteps;
    private long valSteps;
    private long stepMillis;
    private long liveTensors = 3;

    public FakeModel(Weights weights) {
        this.weights = weights;
    }

    public FakeModel losses(LongToDoubleFunction lossAt) {
        this.lossAt = lossAt;
        return this;
    }

    public FakeModel valResults(LongFunction<Map<String, Double>> valAt) {
        this.valAt = valAt;
        return this;
    }

    /** Each train step sleeps this long. */
    public FakeModel stepMillis(long millis) {
        this.stepMillis = millis;
        return this;
    }

    public FakeModel liveTensors(long n) {
        this.liveTensors = n;
        return this;
    }

    public long trainSteps() {
        return trainSteps;
    }

    public long valSteps() {
        return valSteps;
    }

    @Override
    public StepOutput trainStep(Batch batch, long stepSeed) {
        Sleep.millis(stepMillis);
        double loss = lossAt.applyAsDouble(trainSteps++);
        weights.grad += loss;
        return new StepOutput(Map.of("loss", loss), batch.size());
    }

    @Override
    public StepOutput valStep(Batch batch) {
        return new StepOutput(valAt.apply(valSteps++), batch.size());
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.putTensor("w", Tensor.ofFloats(new long[] {1}, new float[] {(float) weights.w}));
        state.put("train-steps", trainSteps);
        state.put("val-steps", valSteps);
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        weights.w = state.tensor("w").toFloats()[0];
        trainSteps = state.getLong("train-steps", 0);
        valSteps = state.getLong("val-steps", 0);
    }

    @Override
    public long liveTensors() {
        return liveTensors;
    }
}
