package dev.stride.hooks.builtin.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingHookTest {
    @TempDir
    Path dir;

    @Test
    void stopsAfterPatienceResultsWithoutImprovementAndSavesACheckpoint() throws IOException {
        Harness run = valEpochs(10, "accuracy", 0.5, 0.6, 0.6, 0.6, 0.9, 0.9).hook("early-stopping",
                "monitor = accuracy, patience = 2");
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(4, run.runner().epoch(), "stopped after the 4th val epoch");
        assertTrue(run.runner().stopReason().startsWith("early stopping: accuracy did not improve"),
                run.runner().stopReason());
        assertTrue(Files.isRegularFile(dir.resolve("epoch_4.safetensors")));
        assertEquals("epoch_4.safetensors", Files.readString(dir.resolve(CheckpointFiles.LATEST)).trim());
    }

    @Test
    void minDeltaIsTheLeastImprovementThatCounts() {
        // +0.003 per epoch: no improvement for min-delta 0.01, an improvement for min-delta 0
        Harness strict = valEpochs(6, "accuracy", 0.5, 0.503, 0.506, 0.509, 0.512, 0.515).hook("early-stopping",
                "monitor = accuracy, patience = 3, min-delta = 0.01");
        assertEquals(RunOutcome.STOPPED, strict.run());
        assertEquals(4, strict.runner().epoch());
        Harness lax = valEpochs(6, "accuracy", 0.5, 0.503, 0.506, 0.509, 0.512, 0.515).hook("early-stopping",
                "monitor = accuracy, patience = 3, min-delta = 0");
        assertEquals(RunOutcome.COMPLETED, lax.run());
    }

    @Test
    void theRuleOfALossIsInferredAsLess() {
        Harness run = valEpochs(6, "loss", 1.0, 0.9, 0.95, 0.97, 0.5, 0.4).hook("early-stopping",
                "monitor = loss, patience = 2");
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(4, run.runner().epoch());
    }

    @Test
    void anExplicitRuleWins() {
        Harness run = valEpochs(6, "loss", 1.0, 0.9, 0.95, 0.97, 0.5, 0.4).hook("early-stopping",
                "monitor = loss, rule = greater, patience = 2, min-delta = 0");
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(3, run.runner().epoch(), "0.9 and 0.95 are worse than 1.0 when greater is better");
    }

    @Test
    void aMetricWhoseRuleCannotBeInferredNeedsARule() {
        BadInputException e = assertThrows(BadInputException.class, () -> Harness.newHook("early-stopping", "monitor = score"));
        assertTrue(e.getMessage().contains("monitor = score") && e.getMessage().contains("rule = greater"), e.getMessage());
        Harness.newHook("early-stopping", "monitor = score, rule = greater");
    }

    @Test
    void monitorIsRequired() {
        BadInputException e = assertThrows(BadInputException.class, () -> Harness.newHook("early-stopping", ""));
        assertTrue(e.getMessage().contains("monitor = accuracy"), e.getMessage());
    }

    @Test
    void stopsAsSoonAsTheThresholdIsPassed() {
        Harness run = valEpochs(6, "accuracy", 0.5, 0.7, 0.95, 0.96, 0.97, 0.98).hook("early-stopping",
                "monitor = accuracy, stopping-threshold = 0.9");
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(3, run.runner().epoch());
        assertTrue(run.runner().stopReason().contains("stopping threshold"), run.runner().stopReason());
    }

    @Test
    void strictMakesAMissingMetricAnError() {
        Harness run = valEpochs(3, "accuracy", 0.5, 0.6, 0.7).hook("early-stopping", "monitor = f1, strict = true");
        BadInputException e = assertThrows(BadInputException.class, run::run);
        assertTrue(e.getMessage().contains("no metric 'f1'") && e.getMessage().contains("accuracy"), e.getMessage());
        Harness lax = valEpochs(3, "accuracy", 0.5, 0.6, 0.7).hook("early-stopping", "monitor = f1");
        assertEquals(RunOutcome.COMPLETED, lax.run());
    }

    @Test
    void aNonFiniteMetricStopsUnlessCheckFiniteIsOff() {
        Harness run = valEpochs(4, "accuracy", 0.5, Double.NaN, 0.7, 0.8).hook("early-stopping", "monitor = accuracy");
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(2, run.runner().epoch());
        assertTrue(run.runner().stopReason().contains("not finite"), run.runner().stopReason());
        Harness off = valEpochs(4, "accuracy", 0.5, Double.NaN, 0.7, 0.8).in(dir.resolve("off"))
                .hook("early-stopping", "monitor = accuracy, check-finite = false");
        assertEquals(RunOutcome.COMPLETED, off.run());
    }

    @Test
    void judgesTheEvaluationsOfTheEvalHook() {
        Harness run = Harness.epochs(10, 2).in(dir).val(FakeLoader.of(2)).hook("eval")
                .hook("early-stopping", "monitor = accuracy, patience = 1");
        double[] acc = {0.5, 0.7, 0.6, 0.9};
        run.model().valResults(n -> Map.of("accuracy", acc[(int) (n / 2)]));
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(3, run.runner().epoch());
        assertTrue(Files.isRegularFile(dir.resolve("epoch_3.safetensors")));
    }

    @Test
    void anEvaluationAndAValEpochOfTheSameWeightsCountOnce() {
        // the eval hook at the end of each train epoch and the val epoch right after it see the same weights
        Harness run = Harness.epochs(4, 2).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1)).hook("eval")
                .hook("early-stopping", "monitor = accuracy, patience = 1");
        run.model().valResults(n -> Map.of("accuracy", 0.5 + 0.1 * (n / 2)));
        assertEquals(RunOutcome.COMPLETED, run.run());
        assertEquals(8, run.model().valSteps(), "both evaluated");
    }

    @Test
    void worksWithTheIterRunnersValPhases() throws IOException {
        Harness run = Harness.iters(100, 3).in(dir).workflow("[[train, 5], [val, 1]]").val(FakeLoader.of(1))
                .hook("early-stopping", "monitor = accuracy, patience = 2");
        double[] acc = {0.5, 0.7, 0.6, 0.65, 0.9};
        run.model().valResults(n -> Map.of("accuracy", acc[(int) n]));
        assertEquals(RunOutcome.STOPPED, run.run());
        assertEquals(20, run.runner().iter());
        assertEquals("iter_20.safetensors", Files.readString(dir.resolve(CheckpointFiles.LATEST)).trim());
    }

    @Test
    void itsCountersResumeFromACheckpoint() {
        // 0.9, then no improvement twice: with patience 3, one more result without improvement stops
        Harness first = valEpochs(3, "accuracy", 0.9, 0.8, 0.8).hook("early-stopping", "monitor = accuracy, patience = 3");
        assertEquals(RunOutcome.COMPLETED, first.run());
        Path end = first.runner().saveCheckpoint(dir, "end.safetensors");
        Harness second = valEpochs(8, "accuracy", 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8)
                .hook("early-stopping", "monitor = accuracy, patience = 3");
        second.resume(end);
        assertEquals(RunOutcome.STOPPED, second.run());
        assertEquals(4, second.runner().epoch(), "the count went on from 2; from scratch it would stop at epoch 6");
    }

    /** An epoch run alternating a train and a one-batch val epoch whose {@code metric} takes these values. */
    private Harness valEpochs(int maxEpochs, String metric, double... values) {
        Harness run = Harness.epochs(maxEpochs, 2).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1));
        run.model().valResults(n -> Map.of(metric, values[(int) n]));
        return run;
    }
}
