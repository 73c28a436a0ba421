package dev.stride.hooks.builtin.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.testkit.Harness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidLossHookTest {
    @TempDir
    Path dir;

    @Test
    void aNanLossStopsTrainingNamingTheEpochAndIterationAndKeepsTheLastCheckpoint() throws IOException {
        Harness run = Harness.epochs(3, 4).in(dir).hook("invalid-loss").hook("checkpoint");
        run.model().losses(n -> n == 5 ? Double.NaN : 1.0);
        // the user's to fix (a config that diverges), so it reaches the launcher as it is: exit 2, no stack trace
        InvalidLossException cause = assertThrows(InvalidLossException.class, run::run);
        InvalidLossException e = cause;
        assertEquals(2, cause.epoch());
        assertEquals(6, cause.iter());
        assertTrue(cause.getMessage().startsWith("The loss is NaN at epoch 2, iteration 6 (batch 2/4 of the epoch)"),
                cause.getMessage());
        assertTrue(e.getMessage().contains("invalid-loss"), e.getMessage());
        assertEquals("epoch_1.safetensors", Files.readString(dir.resolve(CheckpointFiles.LATEST)).trim());
        assertTrue(Files.isRegularFile(dir.resolve("epoch_1.safetensors")));
        assertEquals(5, run.optimizer().steps(), "the bad batch was not applied");
    }

    @Test
    void anInfiniteLossStopsToo() {
        Harness run = Harness.iters(10, 4).in(dir).hook("invalid-loss");
        run.model().losses(n -> n == 2 ? Double.NEGATIVE_INFINITY : 1.0);
        InvalidLossException e = assertThrows(InvalidLossException.class, run::run);
        assertTrue(e.getMessage().startsWith("The loss is -Infinity at epoch 1, iteration 3: training stopped"),
                e.getMessage());
    }

    @Test
    void intervalChecksOnlyEveryNthIteration() {
        Harness unchecked = Harness.epochs(1, 4).in(dir).hook("invalid-loss", "interval = 2");
        unchecked.model().losses(n -> n == 2 ? Double.NaN : 1.0);
        assertEquals(RunOutcome.COMPLETED, unchecked.run(), "iteration 3 is not checked");
        Harness checked = Harness.epochs(1, 4).in(dir.resolve("b")).hook("invalid-loss", "interval = 2");
        checked.model().losses(n -> n == 3 ? Double.NaN : 1.0);
        assertThrows(InvalidLossException.class, checked::run);
    }

    @Test
    void skipDropsTheBatchsGradientsAndGoesOn() {
        Harness run = Harness.epochs(2, 3).in(dir).hook("invalid-loss", "action = skip");
        run.model().losses(n -> n == 1 ? Double.NaN : 0.5);
        assertEquals(RunOutcome.COMPLETED, run.run());
        // each of the 5 good batches adds its loss, 0.5, to every gradient; the bad one's NaN gradients are zeroed
        // before the optimizer hook steps, so it adds nothing: SGD (lr 0.1, momentum 0.9) on gradients 0.5, 0, 0.5 ...
        float[] expected = {0.5f, 0.25f, -0.25f}; // w0, w1 and b of a new FakeModel
        for (int i = 0; i < expected.length; i++) {
            float buf = 0;
            for (int n = 0; n < 6; n++) {
                buf = 0.9f * buf + (n == 1 ? 0f : 0.5f);
                expected[i] -= 0.1f * buf;
            }
        }
        float[] w = run.model().params().get("w");
        float[] b = run.model().params().get("b");
        assertEquals(List.of(expected[0], expected[1], expected[2]), List.of(w[0], w[1], b[0]), "bit for bit");
        assertEquals(6, run.optimizer().steps());
    }

    @Test
    void skipAfterTheOptimizerHookIsRefused() {
        Harness run = Harness.epochs(1, 3).in(dir).hook("invalid-loss", "action = skip, priority = NORMAL");
        BadInputException e = assertThrows(BadInputException.class, run::run);
        assertTrue(e.getMessage().contains("priority = HIGH"), e.getMessage());
    }

    @Test
    void anUnknownActionIsAnError() {
        BadInputException e = assertThrows(BadInputException.class, () -> Harness.newHook("invalid-loss", "action = ignore"));
        assertTrue(e.getMessage().contains("use stop") && e.getMessage().contains("skip"), e.getMessage());
    }
}
