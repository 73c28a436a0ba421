package com.example.stride.gatedmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.launcher.ProviderRegistry;
import dev.stride.launcher.Stride;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model found by name, as a config selects it, on Stride's own synthetic data, optimizer and
 * epoch runner: it learns, and its checkpoint names are the ones the provider gives.
 */
class GatedMlpProviderTest {
    /** Stride's providers and this plugin's, found by the test's class loader as a job finds them. */
    private static final Stride STRIDE = Stride.of(ProviderRegistry.scan(type -> ServiceLoader.load(type)));

    @TempDir
    Path dir;

    /** Synthetic samples around 4 class prototypes (the data's seed draws the prototypes: the same for both modes). */
    private static DataLoader data(Mode mode, int size) {
        return STRIDE.dataset("synthetic", Map.of("size", size, "shape", List.of(1, 8, 8), "num-classes", 4,
                "batch-size", 32, "prefetch", 0, "seed", 1), mode, 7);
    }

    @Test
    void learnsTheSyntheticClassesOnStridesRunner() {
        DataLoader train = data(Mode.TRAIN, 256);
        Model model = STRIDE.model("gated-mlp", Map.of("hidden", 16), train.spec(), 3);
        Optimizer adam = STRIDE.optimizer("adam", Map.of("lr", 0.01), model);
        Runner runner = STRIDE.runner("epoch", Map.of("max-epochs", 3), model, adam, dir, 3);
        runner.registerHook(STRIDE.hook("optimizer", Map.of()), STRIDE.priority("optimizer"));
        RunOutcome outcome = runner.run(Map.of(Mode.TRAIN, train, Mode.VAL, data(Mode.VAL, 64)),
                Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)));
        assertEquals(RunOutcome.COMPLETED, outcome);
        Map<String, Double> val = runner.logBuffer(Mode.VAL).average(0);
        assertTrue(val.get("accuracy") > 0.9, val.toString());
        assertTrue(val.containsKey("accuracy_top3"), val.toString());
    }

    @Test
    void itsParametersHaveTheNamesItGivesThem() {
        DataLoader train = data(Mode.TRAIN, 32);
        Model model = STRIDE.model("gated-mlp", Map.of(), train.spec(), 3);
        dev.stride.runner.api.Checkpoint ck = new dev.stride.runner.api.Checkpoint();
        model.saveState(ck.section("model.", "model."));
        assertEquals(List.of("model.gated.gate.bias", "model.gated.gate.weight", "model.gated.value.bias",
                "model.gated.value.weight", "model.out.bias", "model.out.weight"), List.copyOf(ck.tensors().keySet()));
    }
}
