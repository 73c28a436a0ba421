package dev.stride.hooks.builtin.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.hooks.builtin.testing.Hooks;
import dev.stride.hooks.builtin.testing.TestRun;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.support.HookFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidLossHookTest {
    @TempDir
    Path dir;

    @Test
    void aNanLossStopsTrainingNamingTheEpochAndIterationAndKeepsTheLastCheckpoint() throws IOException {
        TestRun run = TestRun.epochs(3, 4).in(dir).hook("invalid-loss").hook("checkpoint");
        run.model().losses(n -> n == 5 ? Double.NaN : 1.0);
        HookFailedException e = assertThrows(HookFailedException.class, run::run);
        InvalidLossException cause = assertInstanceOf(InvalidLossException.class, e.getCause());
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
        TestRun run = TestRun.iters(10, 4).in(dir).hook("invalid-loss");
        run.model().losses(n -> n == 2 ? Double.NEGATIVE_INFINITY : 1.0);
        HookFailedException e = assertThrows(HookFailedException.class, run::run);
        assertTrue(e.getCause().getMessage().startsWith("The loss is -Infinity at epoch 1, iteration 3: training stopped"),
                e.getCause().getMessage());
    }

    @Test
    void intervalChecksOnlyEveryNthIteration() {
        TestRun unchecked = TestRun.epochs(1, 4).in(dir).hook("invalid-loss", "interval = 2");
        unchecked.model().losses(n -> n == 2 ? Double.NaN : 1.0);
        assertEquals(RunOutcome.COMPLETED, unchecked.run(), "iteration 3 is not checked");
        TestRun checked = TestRun.epochs(1, 4).in(dir.resolve("b")).hook("invalid-loss", "interval = 2");
        checked.model().losses(n -> n == 3 ? Double.NaN : 1.0);
        assertThrows(HookFailedException.class, checked::run);
    }

    @Test
    void skipDropsTheBatchsGradientsAndGoesOn() {
        TestRun run = TestRun.epochs(2, 3).in(dir).hook("invalid-loss", "action = skip");
        run.model().losses(n -> n == 1 ? Double.NaN : 0.5);
        assertEquals(RunOutcome.COMPLETED, run.run());
        // w = 1 - 0.1 * 0.5 for each of the 5 good batches; the bad one adds nothing
        assertEquals(1 - 5 * 0.05, run.weights().w, 1e-12);
        assertEquals(6, run.optimizer().steps());
    }

    @Test
    void skipAfterTheOptimizerHookIsRefused() {
        TestRun run = TestRun.epochs(1, 3).in(dir).hook("invalid-loss", "action = skip, priority = NORMAL");
        BadInputException e = assertThrows(BadInputException.class, run::run);
        assertTrue(e.getMessage().contains("priority = HIGH"), e.getMessage());
    }

    @Test
    void anUnknownActionIsAnError() {
        BadInputException e = assertThrows(BadInputException.class, () -> Hooks.create("invalid-loss", "action = ignore"));
        assertTrue(e.getMessage().contains("use stop") && e.getMessage().contains("skip"), e.getMessage());
    }
}
