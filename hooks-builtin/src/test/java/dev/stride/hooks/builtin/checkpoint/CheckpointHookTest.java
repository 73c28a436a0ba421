package dev.stride.hooks.builtin.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointHookTest {
    @TempDir
    Path dir;

    @Test
    void savesEveryIntervalEpochsAndTheLast() throws IOException {
        Harness.epochs(5, 2).in(dir).hook("checkpoint", "interval = 2").run();
        assertEquals(List.of("epoch_2.safetensors", "epoch_4.safetensors", "epoch_5.safetensors"), checkpoints(dir));
        assertEquals("epoch_5.safetensors", latest());
    }

    @Test
    void saveLastFalseSavesOnlyOnTheInterval() throws IOException {
        Harness.epochs(5, 2).in(dir).hook("checkpoint", "interval = 2, save-last = false").run();
        assertEquals(List.of("epoch_2.safetensors", "epoch_4.safetensors"), checkpoints(dir));
    }

    @Test
    void intervalMinusOneSavesOnlyTheLast() throws IOException {
        Harness.epochs(3, 2).in(dir).hook("checkpoint", "interval = -1").run();
        assertEquals(List.of("epoch_3.safetensors"), checkpoints(dir));
    }

    @Test
    void byEpochFalseSavesEveryIntervalIterations() throws IOException {
        Harness.epochs(2, 3).in(dir).hook("checkpoint", "interval = 2, by-epoch = false").run();
        assertEquals(List.of("iter_2.safetensors", "iter_4.safetensors", "iter_6.safetensors"), checkpoints(dir));
    }

    @Test
    void theIterRunnerSavesByIterationsByDefault() throws IOException {
        Harness.iters(7, 3).in(dir).hook("checkpoint", "interval = 3").run();
        assertEquals(List.of("iter_3.safetensors", "iter_6.safetensors", "iter_7.safetensors"), checkpoints(dir));
    }

    @Test
    void byDefaultEveryEpochOrEveryTenthOfTheIterations() throws IOException {
        Harness.epochs(3, 2).in(dir).hook("checkpoint", "").run();
        assertEquals(List.of("epoch_1.safetensors", "epoch_2.safetensors", "epoch_3.safetensors"), checkpoints(dir));

        Path iters = dir.resolve("iters");
        Harness.iters(45, 3).in(iters).hook("checkpoint", "").run();
        assertEquals(List.of("iter_12.safetensors", "iter_16.safetensors", "iter_20.safetensors", "iter_24.safetensors",
                "iter_28.safetensors", "iter_32.safetensors", "iter_36.safetensors", "iter_4.safetensors",
                "iter_40.safetensors", "iter_44.safetensors", "iter_45.safetensors", "iter_8.safetensors"), checkpoints(iters),
                "45 iterations: every 4, and the last");
    }

    @Test
    void anIntervalOfZeroIsRefused() {
        dev.stride.runner.api.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.stride.runner.api.BadInputException.class, () -> Harness.newHook("checkpoint", "interval = 0"));
        assertTrue(e.getMessage().contains("interval: 0 is no interval"), e.getMessage());
    }

    @Test
    void maxKeepKeepsTheNewest() throws IOException {
        Harness.epochs(5, 2).in(dir).hook("checkpoint", "max-keep = 2").run();
        assertEquals(List.of("epoch_4.safetensors", "epoch_5.safetensors"), checkpoints(dir));
    }

    @Test
    void maxKeepDeletesNothingWhenTheNewCheckpointCannotBeWritten() throws IOException {
        // a non-empty folder where epoch_2 would go makes its rename fail: epoch_1 must survive
        Files.createDirectories(dir.resolve("epoch_2.safetensors").resolve("x"));
        Harness run = Harness.epochs(3, 2).in(dir).hook("checkpoint", "max-keep = 1");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, run::run);
        assertTrue(e.getMessage().contains("epoch_2.safetensors"), e.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve("epoch_1.safetensors")));
        assertEquals("epoch_1.safetensors", latest());
    }

    @Test
    void maxKeepDeletesTheOldestOnlyOnceTheNewIsComplete() throws IOException {
        // a hook running right after the checkpoint hook sees the new file written and the old one gone,
        // and the new file reads back whole
        List<String> seen = new ArrayList<>();
        Harness run = Harness.epochs(3, 2).in(dir).hook("checkpoint", "max-keep = 1").hook(new Hook() {
            @Override
            public void afterTrainEpoch(Runner r) {
                String newest = "epoch_" + (r.epoch() + 1) + ".safetensors";
                CheckpointFiles.read(dir.resolve(newest));
                seen.add(String.join(",", checkpointsUnchecked(dir)));
            }
        }, Priority.NORMAL.value() + 1);
        run.run();
        assertEquals(List.of("epoch_1.safetensors", "epoch_2.safetensors", "epoch_3.safetensors"), seen);
    }

    @Test
    void maxKeepResumesItsListOfKeptFiles() throws IOException {
        Harness.epochs(2, 2).in(dir).hook("checkpoint", "max-keep = 2").run();
        Harness.epochs(4, 2).in(dir).hook("checkpoint", "max-keep = 2").resume(dir.resolve("epoch_2.safetensors")).run();
        assertEquals(List.of("epoch_3.safetensors", "epoch_4.safetensors"), checkpoints(dir));
    }

    @Test
    void theOptimizerStateIsSavedByDefault() {
        Harness.epochs(1, 2).in(dir).hook("checkpoint").run();
        Checkpoint ck = CheckpointFiles.read(dir.resolve("epoch_1.safetensors"));
        assertTrue(ck.tensors().containsKey("model.w"));
        assertTrue(ck.tensors().containsKey("optimizer.w.momentum_buffer"), ck.tensors().keySet()::toString);
    }

    @Test
    void saveOptimizerFalseLeavesOutEveryOptimizerTensor() {
        Harness.epochs(1, 2).in(dir).hook("checkpoint", "save-optimizer = false").run();
        Checkpoint ck = CheckpointFiles.read(dir.resolve("epoch_1.safetensors"));
        assertTrue(ck.tensors().containsKey("model.w"));
        assertFalse(ck.tensors().keySet().stream().anyMatch(n -> n.startsWith("optimizer.")), ck.tensors().keySet()::toString);
    }

    @Test
    void outDirHoldsTheCheckpointsAndLastCheckpointPointsThere() throws IOException {
        Harness.epochs(2, 2).in(dir).hook("checkpoint", "out-dir = ckpts").run();
        assertEquals(List.of("epoch_1.safetensors", "epoch_2.safetensors"), checkpoints(dir.resolve("ckpts")));
        assertEquals(List.of(), checkpoints(dir));
        // relative to the work dir, so a moved or copied work dir points at its own file
        assertEquals("ckpts/epoch_2.safetensors", latest());
    }

    @Test
    void saveBestKeepsTheBestByTheInferredRule() throws IOException {
        // accuracy: greater is better; the val epochs report 0.5, 0.8, 0.7
        accuracies(0.5, 0.8, 0.7).hook("checkpoint", "interval = -1, save-last = false, save-best = accuracy").run();
        assertEquals(List.of("best_accuracy_epoch_2.safetensors"), checkpoints(dir));
    }

    @Test
    void saveBestInfersLessForALoss() throws IOException {
        Harness run = Harness.epochs(3, 2).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1))
                .hook("checkpoint", "interval = -1, save-last = false, save-best = loss");
        double[] losses = {0.9, 0.4, 0.6};
        run.model().valResults(n -> Map.of("loss", losses[(int) n]));
        run.run();
        assertEquals(List.of("best_loss_epoch_2.safetensors"), checkpoints(dir));
    }

    @Test
    void aMetricTheValResultsLackIsAnErrorNamingThoseTheyHave() {
        Harness run = Harness.epochs(3, 2).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1))
                .hook("checkpoint", "interval = -1, save-last = false, save-best = r2");
        run.model().valResults(n -> Map.of("loss", 0.5, "mae", 0.3, "rmse", 0.4));
        BadInputException e = assertThrows(BadInputException.class, run::run);
        assertTrue(e.getMessage().contains("save-best = r2: the val results have no metric 'r2'")
                && e.getMessage().contains("mae") && e.getMessage().contains("rmse") && e.getMessage().contains("loss"),
                e.getMessage());
    }

    @Test
    void anExplicitRuleWins() throws IOException {
        accuracies(0.5, 0.8, 0.7).hook("checkpoint", "interval = -1, save-last = false, save-best = accuracy, rule = less")
                .run();
        assertEquals(List.of("best_accuracy_epoch_1.safetensors"), checkpoints(dir));
    }

    @Test
    void theBestFileIsReplacedWhenTheMetricImproves() throws IOException {
        List<List<String>> seen = new ArrayList<>();
        accuracies(0.5, 0.6, 0.7).hook("checkpoint", "interval = -1, save-last = false, save-best = accuracy")
                .hook(new Hook() {
                    @Override
                    public void afterValEpoch(Runner r) {
                        seen.add(checkpointsUnchecked(dir));
                    }
                }, Priority.LOWEST).run();
        assertEquals(List.of(List.of("best_accuracy_epoch_1.safetensors"), List.of("best_accuracy_epoch_2.safetensors"),
                List.of("best_accuracy_epoch_3.safetensors")), seen);
        Checkpoint best = CheckpointFiles.read(dir.resolve("best_accuracy_epoch_3.safetensors"));
        assertEquals("0.6", best.metadata().get("hook.checkpoint.best.accuracy"), "the state saved before this best");
    }

    @Test
    void theBestScoreResumes() throws IOException {
        Harness first = accuracies(0.5, 0.8).hook("checkpoint", "interval = -1, save-last = false, save-best = accuracy");
        first.run();
        Path end = first.runner().saveCheckpoint(dir, "end.safetensors");
        Harness second = Harness.epochs(3, 2).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1))
                .hook("checkpoint", "interval = -1, save-last = false, save-best = accuracy");
        second.model().valResults(n -> Map.of("accuracy", 0.7));
        second.resume(end).run();
        // 0.7 after the resume does not beat the 0.8 of before it: no new best file
        assertEquals(List.of("best_accuracy_epoch_2.safetensors", "end.safetensors"), checkpoints(dir));
    }

    @Test
    void aRuleThatCannotBeInferredIsAnErrorNamingTheFix() {
        var e = assertThrows(dev.stride.runner.api.BadInputException.class,
                () -> Harness.epochs(1, 1).in(dir).hook("checkpoint", "save-best = score"));
        assertTrue(e.getMessage().contains("save-best = score") && e.getMessage().contains("rule = greater"), e.getMessage());
    }

    /** An epoch run, one val batch after each train epoch, whose val epochs report these accuracies. */
    private Harness accuracies(double... values) {
        Harness run = Harness.epochs(values.length, 2).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1));
        run.model().valResults(n -> Map.of("loss", 1.0, "accuracy", values[(int) n]));
        return run;
    }

    private String latest() throws IOException {
        return Files.readString(dir.resolve(CheckpointFiles.LATEST)).trim();
    }

    static List<String> checkpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
        }
    }

    static List<String> checkpointsUnchecked(Path dir) {
        try {
            return checkpoints(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
