package dev.stride.runner.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.fixtures.FakeBatch;
import dev.stride.runner.api.fixtures.FakeLoader;
import dev.stride.runner.api.fixtures.FakeModel;
import dev.stride.runner.api.fixtures.FakeOptimizer;
import dev.stride.runner.api.fixtures.RecordingHook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures must be deterministic and faithful, or the runner tests built on them prove nothing. */
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
        opt.step();
        opt2.step();
        assertEquals(m.paramsText(), m2.paramsText());

        opt2.zeroGrad();
        assertEquals(0, opt2.gradNorm());
        assertThrows(BadInputException.class, () -> new FakeModel().loadState(new Checkpoint().section("model.", "model.")));
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
    }
}
