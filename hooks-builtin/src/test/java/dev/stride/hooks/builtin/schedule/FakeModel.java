package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.StepOutput;
import java.util.Map;

/** A model without parameters: every step reports a loss of 1. */
final class FakeModel implements Model {
    @Override
    public StepOutput trainStep(Batch batch, long stepSeed) {
        return new StepOutput(Map.of("loss", 1.0), batch.size());
    }

    @Override
    public StepOutput valStep(Batch batch) {
        return new StepOutput(Map.of("loss", 1.0, "accuracy", 0.5), batch.size());
    }

    @Override
    public void saveState(Checkpoint.Section state) {}

    @Override
    public void loadState(Checkpoint.Section state) {}
}
