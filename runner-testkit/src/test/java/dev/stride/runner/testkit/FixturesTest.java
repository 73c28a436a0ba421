package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fakes must be deterministic and faithful, or the tests built on them prove nothing. */
class FixturesTest {
    @Test
    void loaderOrderIsASeededPermutationAndAPureFunctionOfSeedAndEpoch() {
        int[] e0 = FakeLoader.order(7, 0, 10);
        assertArrayEquals(IntStream.range(0, 10).toArray(), Arrays.stream(e0).sorted().toArray());
        assertArrayEquals(e0, FakeLoader.order(7, 0, 10));
        assertFalse(Arrays.equals(e0, FakeLoader.order(7, 1, 10)), "another epoch, another order");
        assertFalse(Arrays.equals(e0, FakeLoader.order(8, 0, 10)), "another seed, another order");
    }

    @Test
    void loaderOpensAnyBatchDirectly() {
        FakeLoader l = FakeLoader.train(7, 10, 3);
        assertEquals(4, l.batchesPerEpoch());
        assertEquals(10, l.samples());
        List<int[]> all = new ArrayList<>();
        try (BatchStream s = l.open(2, 0)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    all.add(((FakeBatch) b).ids());
                }
            }
        }
        assertEquals(List.of(3, 3, 3, 1), all.stream().map(a -> a.length).toList());
        try (BatchStream s = l.open(2, 2)) {
            FakeBatch b = (FakeBatch) s.next();
            assertArrayEquals(all.get(2), b.ids());
            assertEquals(2, b.index());
            assertEquals(2, b.epoch());
            b.close();
        }
        try (BatchStream s = l.open(2, 4)) {
            assertFalse(s.hasNext());
        }
        assertThrows(IllegalArgumentException.class, () -> l.open(0, 5));
        assertEquals(l.batchesCreated(), l.batchesClosed());
        assertEquals(l.streamsOpened(), l.streamsClosed());
        assertEquals(List.of("e2 b0", "e2 b2", "e2 b4"), l.opened());
        assertEquals(1000, Arrays.stream(FakeLoader.val(7, 3, 3).batchIds(0, 0)).min().orElseThrow());
    }

    @Test
    void aSimpleLoaderHasBatchesOfTwoAndMaySleep() {
        FakeLoader l = FakeLoader.of(3);
        assertEquals(3, l.batchesPerEpoch());
        assertEquals(6, l.samples());
        assertEquals(5, FakeLoader.of(5, 4).batchesPerEpoch());
        assertEquals(20, FakeLoader.of(5, 4).samples());
        l.delayMillis(20);
        long start = System.nanoTime();
        try (BatchStream s = l.open(0, 0); Batch b = s.next()) {
            assertEquals(2, b.size());
            assertEquals("fake", ((FakeBatch) b).tag());
        }
        assertTrue(System.nanoTime() - start >= 19_000_000L, "a batch took its delay to produce");
    }

    @Test
    void modelStepsAreDeterministicAndSeedDependent() {
        FakeLoader l = FakeLoader.train(7, 10, 3);
        FakeModel a = new FakeModel();
        FakeModel b = new FakeModel();
        StepOutput oa;
        StepOutput ob;
        try (BatchStream s1 = l.open(0, 0); BatchStream s2 = l.open(0, 0)) {
            oa = a.trainStep(s1.next(), 42);
            ob = b.trainStep(s2.next(), 42);
        }
        assertEquals(oa, ob);
        assertEquals(3, oa.samples());
        assertEquals(a.gradsText(), b.gradsText());
        assertNotEquals(new FakeModel().paramsText(), new FakeModel(1, 0).paramsText());
        FakeModel c = new FakeModel();
        try (BatchStream s = l.open(0, 0)) {
            assertNotEquals(oa.get("loss"), c.trainStep(s.next(), 1L << 50).get("loss"), "the step seed matters");
        }
        assertTrue(a.seen().get(0).startsWith("train e0 b0 "), a.seen().toString());
    }

    @Test
    void aClosedBatchCannotBeTrainedOn() {
        FakeLoader l = FakeLoader.train(7, 10, 3);
        try (BatchStream s = l.open(0, 0)) {
            Batch b = s.next();
            b.close();
            assertThrows(IllegalStateException.class, () -> new FakeModel().trainStep(b, 1));
        }
    }

    @Test
    void optimizerStepsAndItsStateRoundTrips(@TempDir Path dir) {
        FakeModel m = new FakeModel();
        FakeOptimizer opt = new FakeOptimizer(m);
        FakeLoader l = FakeLoader.train(7, 10, 3);
        try (BatchStream s = l.open(0, 0)) {
            m.trainStep(s.next(), 1);
            String before = m.paramsText();
            double norm = opt.gradNorm();
            assertTrue(norm > 0);
            opt.scaleGrads(0.5);
            assertEquals(norm / 2, opt.gradNorm(), 1e-6);
            opt.step();
            assertNotEquals(before, m.paramsText());
            m.trainStep(s.next(), 2);
        }
        Checkpoint ck = new Checkpoint();
        m.saveState(ck.section("model.", "model."));
        opt.saveState(ck.section("optimizer.", "optimizer."));
        opt.saveGradients(ck.section("hook.step.", "step."));
        Path file = dir.resolve("ck.safetensors");
        CheckpointFiles.write(file, ck);
        Checkpoint back = CheckpointFiles.read(file);

        FakeModel m2 = new FakeModel(9, 9);
        FakeOptimizer opt2 = new FakeOptimizer(m2, 1, 0);
        m2.loadState(back.section("model.", "model."));
        opt2.loadState(back.section("optimizer.", "optimizer."));
        opt2.loadGradients(back.section("hook.step.", "step."));
        assertEquals(m.paramsText(), m2.paramsText());
        assertEquals(m.gradsText(), m2.gradsText());
        assertEquals(opt.stateText(), opt2.stateText());
        assertEquals(2, m2.trainSteps(), "the step counter is part of the model's state");
        opt.step();
        opt2.step();
        assertEquals(m.paramsText(), m2.paramsText());

        opt2.zeroGrad();
        assertEquals(0, opt2.gradNorm());
        assertEquals(1, opt2.zeroGrads());
        assertThrows(BadInputException.class, () -> new FakeModel().loadState(new Checkpoint().section("model.", "model.")));
    }

    @Test
    void theOptimizerDefaultsToLr01Momentum09AndRecordsWhatEachStepUsed() {
        FakeModel m = new FakeModel();
        FakeOptimizer opt = new FakeOptimizer(m).group(0.01, 0.5);
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.9, opt.paramGroups().get(0).momentum());
        m.grads().get("w")[0] = 1;
        m.grads().get("b")[0] = 1;
        opt.step();
        opt.paramGroups().get(0).setLr(0.2);
        opt.step();
        assertEquals(List.of("[0.1, 0.01]", "[0.2, 0.01]"), opt.lrs().stream().map(Arrays::toString).toList());
        assertEquals(List.of("[0.9, 0.5]", "[0.9, 0.5]"), opt.momenta().stream().map(Arrays::toString).toList());
        // w follows group 0, b group 1: buf = 1 then 0.9 * 1 + 1 (w) and 0.5 * 1 + 1 (b)
        assertEquals(0.5f - 0.1f * 1f - 0.2f * (0.9f * 1f + 1f), m.params().get("w")[0]);
        assertEquals(-0.25f - 0.01f * 1f - 0.01f * (0.5f * 1f + 1f), m.params().get("b")[0]);

        Checkpoint ck = new Checkpoint();
        opt.saveState(ck.section("o.", "o."));
        FakeOptimizer back = new FakeOptimizer(new FakeModel()).group(1, 1);
        back.loadState(ck.section("o.", "o."));
        assertEquals(opt.stateText(), back.stateText(), "both groups' lr and momentum are saved");
    }

    @Test
    void scriptedLossesAndValResultsCountAcrossAResume() {
        FakeModel m = new FakeModel().losses(n -> n + 0.5).valResults(n -> Map.of("accuracy", n / 10.0));
        FakeLoader l = FakeLoader.of(4);
        try (BatchStream s = l.open(0, 0)) {
            assertEquals(0.5, m.trainStep(s.next(), 1).get("loss"));
            assertEquals(1.5, m.trainStep(s.next(), 2).get("loss"));
            assertEquals(0.0, m.valStep(s.next()).get("accuracy"));
        }
        assertEquals("w=[2.0, 2.0]#40000000,40000000, b=[2.0]#40000000,", m.gradsText(),
                "every gradient grew by each scripted loss: 0.5 + 1.5");
        Checkpoint ck = new Checkpoint();
        m.saveState(ck.section("m.", "m."));
        FakeModel resumed = new FakeModel().losses(n -> n + 0.5).valResults(n -> Map.of("accuracy", n / 10.0));
        resumed.loadState(ck.section("m.", "m."));
        try (BatchStream s = l.open(1, 0)) {
            assertEquals(2.5, resumed.trainStep(s.next(), 3).get("loss"), "the third train step of the run");
            assertEquals(0.1, resumed.valStep(s.next()).get("accuracy"));
        }
        assertEquals(3, resumed.trainSteps());
        assertEquals(2, resumed.valSteps());
        assertEquals(2, resumed.seen().size(), "seen() is what this object saw");
    }

    @Test
    void aNanLossMakesNanGradients() {
        FakeModel m = new FakeModel().losses(n -> Double.NaN);
        try (BatchStream s = FakeLoader.of(1).open(0, 0)) {
            assertTrue(Double.isNaN(m.trainStep(s.next(), 0).get("loss")));
        }
        assertTrue(Float.isNaN(m.grads().get("b")[0]));
    }

    @Test
    void stepTimeAndLiveTensorsCanBeSet() {
        FakeModel m = new FakeModel();
        assertEquals(4, m.liveTensors());
        assertEquals(-1, m.liveTensors(-1).liveTensors());
        m.stepMillis(20);
        long start = System.nanoTime();
        try (BatchStream s = FakeLoader.of(1).open(0, 0)) {
            m.trainStep(s.next(), 0);
        }
        assertTrue(System.nanoTime() - start >= 19_000_000L);
    }

    @Test
    void anyBatchCountsAsTheIdsUpToItsSize() {
        Batch plain = new Batch() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public void close() {}

            @Override
            public String toString() {
                return "plain";
            }
        };
        FakeModel m = new FakeModel();
        StepOutput out = m.valStep(plain);
        FakeLoader l = new FakeLoader("x", 0, 2, 2, 0);
        FakeModel same = new FakeModel();
        try (BatchStream s = l.open(0, 0)) {
            assertEquals(same.valStep(s.next()), out, "the ids 0 and 1, in any order");
        }
        assertEquals(List.of("plain"), m.seen());
    }

    @Test
    void recordingHookActsAtTheNthCall() {
        List<String> log = new ArrayList<>();
        int[] fired = {0};
        RecordingHook h = new RecordingHook("x", log).atCall(2, r -> fired[0]++);
        Runner r = org.mockito.Mockito.mock(Runner.class);
        h.beforeRun(r);
        assertEquals(0, fired[0]);
        h.afterValIter(r);
        assertEquals(1, fired[0]);
        h.afterValIter(r);
        assertEquals(1, fired[0]);
        assertEquals(List.of("x beforeRun e0 i0 in0", "x afterValIter e0 i0 in0", "x afterValIter e0 i0 in0"), log);
        assertEquals(3, h.callCount());
        assertEquals("afterValIter none e0 i0 in0", h.calls().get(1).toString());
    }

    @Test
    void recordingHookActionsMatchTheirStage() {
        Runner r = org.mockito.Mockito.mock(Runner.class);
        org.mockito.Mockito.when(r.mode()).thenReturn(Mode.TRAIN);
        org.mockito.Mockito.when(r.iter()).thenReturn(3L);
        List<String> fired = new ArrayList<>();
        RecordingHook h = new RecordingHook().on("afterTrainIter", x -> x.iter() == 3, x -> fired.add("a"))
                .on(dev.stride.runner.api.support.Stage.BEFORE_TRAIN_ITER, x -> true, x -> fired.add("b"));
        h.afterTrainIter(r);
        h.beforeTrainIter(r);
        h.afterValIter(r);
        assertEquals(List.of("a", "b"), fired);
        assertEquals("recording", h.name());
        assertEquals(List.of("afterTrainIter train e0 i3 in0", "beforeTrainIter train e0 i3 in0", "afterValIter train e0 i3 in0"),
                StageCall.texts(h.calls()));
    }

    @Test
    void stageCallsReadBackWhatTheyWrite() {
        StageCall c = new StageCall("afterTrainIter", Mode.TRAIN, 0, 3, 1);
        assertEquals("afterTrainIter train e0 i3 in1", c.toString());
        assertEquals("afterTrainIter e0 i3 in1", c.compact());
        assertEquals(c, StageCall.parse(c.toString()));
        StageCall none = new StageCall("beforeRun", null, 0, 0, 0);
        assertEquals(none, StageCall.parse("beforeRun none e0 i0 in0"));
        assertThrows(IllegalArgumentException.class, () -> StageCall.parse("afterTrainIter e0 i3 in1"));
    }
}
