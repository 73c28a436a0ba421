package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.support.BaseRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness with the test providers of {@link TestProviders}, found on the class path as a plugin's would be. */
class HarnessTest {
    @TempDir
    Path dir;

    @Test
    void runsTheNamedRunnerAndRecordsEveryStageCallAtHighest() {
        Harness h = Harness.runner("test-epochs", Map.of("max-epochs", 2)).in(dir).workflow("[[train, 1], [val, 1]]")
                .train(FakeLoader.train(1, 4, 2)).val(FakeLoader.val(1, 2, 2));
        assertEquals(RunOutcome.COMPLETED, h.run());
        assertEquals(RunOutcome.COMPLETED, h.outcome());
        assertEquals(List.of(
                "beforeRun none e0 i0 in0",
                "beforeTrainEpoch train e0 i0 in0",
                "beforeTrainIter train e0 i0 in0",
                "afterTrainIter train e0 i0 in0",
                "beforeTrainIter train e0 i1 in1",
                "afterTrainIter train e0 i1 in1",
                "afterTrainEpoch train e0 i2 in1",
                "beforeValEpoch val e1 i2 in1",
                "beforeValIter val e1 i2 in0",
                "afterValIter val e1 i2 in0",
                "afterValEpoch val e1 i2 in0",
                "beforeTrainEpoch train e1 i2 in0",
                "beforeTrainIter train e1 i2 in0",
                "afterTrainIter train e1 i2 in0",
                "beforeTrainIter train e1 i3 in1",
                "afterTrainIter train e1 i3 in1",
                "afterTrainEpoch train e1 i4 in1",
                "beforeValEpoch val e2 i4 in1",
                "beforeValIter val e2 i4 in0",
                "afterValIter val e2 i4 in0",
                "afterValEpoch val e2 i4 in0",
                "afterRun val e2 i4 in0"), StageCall.texts(h.calls()));
        assertEquals(4, h.model().trainSteps());
        assertEquals(2, h.model().valSteps());
        assertEquals(4, h.optimizer().steps(), "the optimizer hook found by name stepped every iteration");
        assertEquals(dir, h.runner().workDir());
        assertEquals(42, h.runner().seed());
    }

    @Test
    void theRecorderComesFirstThenTheTestsHooksThenTheOptimizerHook() {
        RecordingHook mine = new RecordingHook("mine");
        Harness h = Harness.runner("test-iters", Map.of()).in(dir).hook(mine, Priority.HIGHEST).hook("counter");
        List<Hook> hooks = h.runner().hooks();
        assertSame(h.recorder(), hooks.get(0), "registered at HIGHEST before the test's HIGHEST hook");
        assertEquals(Harness.RECORDER, hooks.get(0).name());
        assertSame(mine, hooks.get(1));
        assertEquals(List.of("harness", "mine", "optimizer", "counter"), hooks.stream().map(Hook::name).toList());
        BaseRunner base = (BaseRunner) h.runner();
        assertEquals(Priority.ABOVE_NORMAL.value(), base.priorityOf(hooks.get(2)), "the provider's default priority");
        assertEquals(Priority.LOW.value(), base.priorityOf(hooks.get(3)));
        assertEquals(10, base.maxIters(), "the runner's defaults from reference.conf");
    }

    @Test
    void withoutOptimizerHookLeavesItOutAndAnOptimizerHookOfTheTestReplacesIt() {
        Harness without = Harness.runner("test-epochs", Map.of()).in(dir).withoutOptimizerHook();
        without.run();
        assertEquals(List.of("harness"), without.runner().hooks().stream().map(Hook::name).toList());
        assertEquals(0, without.optimizer().steps());

        Harness own = Harness.runner("test-epochs", Map.of()).in(dir.resolve("own")).hook("optimizer", "cumulative-iters = 2");
        own.run();
        assertEquals(List.of("harness", "optimizer"), own.runner().hooks().stream().map(Hook::name).toList());
        assertEquals(2, own.optimizer().steps(), "4 iterations, a step every 2");
    }

    @Test
    void hookOptionsAreMergedOntoTheProvidersDefaultsAndPriorityIsHonoured() {
        var counter = (TestProviders.CounterHook) Harness.newHook("counter", "interval = 3");
        assertEquals(3, counter.interval);
        assertEquals("none", counter.label, "from the provider's reference.conf");
        assertEquals(Map.of("interval", 3, "label", "x"), Harness.hookOptions("counter", "label = x, interval = 3, priority = 5")
                .root().unwrapped(), "type and priority are the harness's, not the hook's");

        Harness h = Harness.runner("test-epochs", Map.of()).in(dir).hook("counter", "priority = VERY_HIGH, interval = 2");
        h.run();
        BaseRunner base = (BaseRunner) h.runner();
        Hook made = h.runner().hooks().stream().filter(x -> x.name().equals("counter")).findFirst().orElseThrow();
        assertEquals(Priority.VERY_HIGH.value(), base.priorityOf(made));
        assertEquals(2, ((TestProviders.CounterHook) made).count, "4 iterations, counted every 2");
    }

    @Test
    void anUnknownHookOptionIsRejectedAsTheLauncherRejectsIt() {
        BadInputException e = assertThrows(BadInputException.class, () -> Harness.epochs(1).hook("counter", "intervall = 2"));
        assertTrue(e.getMessage().contains("unknown option 'intervall' of hook 'counter'") && e.getMessage().contains("interval"),
                e.getMessage());
        BadInputException runner = assertThrows(BadInputException.class,
                () -> Harness.runner("test-epochs", Map.of("max-epoch", 2)).in(dir).runner());
        assertTrue(runner.getMessage().contains("max-epoch"), runner.getMessage());
    }

    @Test
    void aMissingRunnerOrHookNamesTheArtifactToAdd() {
        IllegalStateException epoch = assertThrows(IllegalStateException.class, () -> Harness.epochs(1).in(dir).run());
        assertTrue(epoch.getMessage().startsWith(
                "no runner named 'epoch' on the class path: add dev.stride:runner-epoch as a test dependency"), epoch.getMessage());
        assertTrue(epoch.getMessage().contains("test-epochs, test-iters"), epoch.getMessage());
        IllegalStateException iter = assertThrows(IllegalStateException.class, () -> Harness.iters(5).in(dir).runner());
        assertTrue(iter.getMessage().contains("add dev.stride:runner-iter as a test dependency"), iter.getMessage());
        IllegalStateException hook = assertThrows(IllegalStateException.class, () -> Harness.epochs(1).hook("checkpoint"));
        assertTrue(hook.getMessage().startsWith(
                "no hook named 'checkpoint' on the class path: add dev.stride:hooks-builtin as a test dependency"),
                hook.getMessage());
        IllegalStateException plugin = assertThrows(IllegalStateException.class, () -> Harness.newHook("csv-metrics", ""));
        assertTrue(plugin.getMessage().contains("add the jar that provides it as a test dependency"), plugin.getMessage());
    }

    @Test
    void theIterRunnerAndAStopRequestedByTheRecordersAction() {
        Harness h = Harness.runner("test-iters", Map.of("max-iters", 20)).in(dir).workflow("[[train, 2], [val, 1]]");
        h.recorder().on("afterTrainIter", r -> r.iter() == 4, r -> r.requestStop("enough", true));
        assertEquals(RunOutcome.STOPPED, h.run());
        assertEquals(5, h.model().trainSteps());
        // the 5th batch starts the train loader's second pass, but the epoch is read before that fetch, as MMCV reads it
        assertEquals("afterRun train e0 i5 in1", h.calls().get(h.calls().size() - 1).toString());
    }

    @Test
    void resumesARunFromACheckpoint() {
        Harness first = Harness.runner("test-epochs", Map.of("max-epochs", 1)).in(dir).hook("counter");
        first.run();
        Path ck = first.runner().saveCheckpoint(dir, "end.safetensors");
        Harness second = Harness.runner("test-epochs", Map.of("max-epochs", 2)).in(dir).hook("counter").resume(ck);
        second.model().losses(n -> n);
        second.run();
        assertEquals(8, second.model().trainSteps(), "4 before the checkpoint and 4 after");
        assertEquals(4, second.model().seen().size());
        assertEquals("beforeRun train e1 i4 in3", second.calls().get(0).toString());
        Hook counter = second.runner().hooks().stream().filter(x -> x.name().equals("counter")).findFirst().orElseThrow();
        assertEquals(8, ((TestProviders.CounterHook) counter).count, "its state was restored");
        assertThrows(IllegalStateException.class, () -> second.seed(1), "settings come before the runner is built");
    }

    @Test
    void modelOptimizerAndLoadersOfTheTest() {
        FakeModel model = new FakeModel(1, 0);
        FakeOptimizer opt = new FakeOptimizer(model, 0.5, 0);
        FakeLoader train = FakeLoader.of(3);
        Harness h = Harness.runner("test-epochs", Map.of()).in(dir).model(model).optimizer(opt).train(train).val(null)
                .seed(3);
        h.run();
        assertSame(model, h.model());
        assertSame(opt, h.optimizer());
        assertSame(train, h.runner().loader(Mode.TRAIN));
        assertEquals(null, h.runner().loader(Mode.VAL));
        assertEquals(3, h.runner().seed());
        assertEquals(1, train.streamsOpened());
        assertEquals(1, train.streamsClosed());
        assertEquals(3, train.batchesClosed());

        Harness other = Harness.runner("test-epochs", Map.of()).in(dir).model(new dev.stride.runner.api.Model() {
            @Override
            public dev.stride.runner.api.StepOutput trainStep(dev.stride.runner.api.Batch b, long s) {
                return new dev.stride.runner.api.StepOutput(Map.of("loss", 1.0), b.size());
            }

            @Override
            public dev.stride.runner.api.StepOutput valStep(dev.stride.runner.api.Batch b) {
                return trainStep(b, 0);
            }

            @Override
            public void saveState(dev.stride.runner.api.Checkpoint.Section state) {}

            @Override
            public void loadState(dev.stride.runner.api.Checkpoint.Section state) {}
        });
        assertThrows(IllegalStateException.class, other::model);
        IllegalStateException e = assertThrows(IllegalStateException.class, other::run);
        assertTrue(e.getMessage().contains("give one with optimizer(...)"), e.getMessage());
    }

    @Test
    void workflowsAreReadAsInAConfig() {
        assertEquals(Workflow.of(new Phase(Mode.TRAIN, 2), new Phase(Mode.VAL, 1)), Harness.parseWorkflow("[[train, 2], [val, 1]]"));
        assertEquals(Workflow.of(new Phase(Mode.VAL, 1), new Phase(Mode.TRAIN, 3)), Harness.parseWorkflow("[[val,1],[train,3]]"));
        assertThrows(IllegalArgumentException.class, () -> Harness.parseWorkflow("[[train]]"));
        assertThrows(IllegalArgumentException.class, () -> Harness.parseWorkflow("[[tran, 1]]"));
        assertThrows(IllegalArgumentException.class, () -> Harness.parseWorkflow("[[val, 1]]"));
        assertThrows(IllegalArgumentException.class, () -> Harness.parseWorkflow("train"));
    }

    @Test
    void aHookAddedAfterTheRunnerWasBuiltIsRegisteredDirectly() {
        Harness h = Harness.runner("test-epochs", Map.of()).in(dir);
        Runner r = h.runner();
        RecordingHook late = new RecordingHook("late");
        h.hook(late, Priority.LOWEST).run();
        assertEquals(h.calls().size(), late.callCount());
        assertInstanceOf(RecordingHook.class, r.hooks().get(r.hooks().size() - 1));
    }
}
