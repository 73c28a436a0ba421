package dev.stride.hooks.builtin.testing;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.ParamGroup;
import dev.stride.runner.api.Tensor;
import java.util.List;

/**
 * Plain gradient descent on {@link Weights}: {@code w -= lr * grad}. Its state (a step count) is
 * saved as an {@code optimizer.*} tensor, so tests can see whether a checkpoint holds it.
 */
public final class FakeOptimizer implements Optimizer {
    private final Weights weights;
    private final List<ParamGroup> groups = List.of(new ParamGroup("default", 0.1, 0.9));
    private long steps;
    private long zeroGrads;

    public FakeOptimizer(Weights weights) {
        this.weights = weights;
    }

    public long steps() {
        return steps;
    }

    public long zeroGrads() {
        return zeroGrads;
    }

    @Override
    public List<ParamGroup> paramGroups() {
        return groups;
    }

    @Override
    public void step() {
        weights.w -= groups.get(0).lr() * weights.grad;
        steps++;
    }

    @Override
    public void zeroGrad() {
        weights.grad = 0;
        zeroGrads++;
    }

    @Override
    public double gradNorm() {
        return Math.abs(weights.grad);
    }

    @Override
    public void scaleGrads(double factor) {
        weights.grad *= factor;
    }

    @Override
    public void saveGradients(Checkpoint.Section state) {
        state.putTensor("w.grad", Tensor.ofFloats(new long[] {1}, new float[] {(float) weights.grad}));
    }

    @Override
    public void loadGradients(Checkpoint.Section state) {
        Tensor t = state.tensor("w.grad");
        if (t != null) {
            weights.grad = t.toFloats()[0];
        }
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.putTensor("w.steps", Tensor.ofFloats(new long[] {1}, new float[] {steps}));
        state.put("lr", groups.get(0).lr());
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        Tensor t = state.tensor("w.steps");
        steps = t == null ? 0 : (long) t.toFloats()[0];
    }
}
