package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeCheckTest {
    @TempDir
    Path dir;

    @Test
    void aRunnerOnBaseRunnerResumesExactlyAtEveryHookCall() {
        ResumeCheck check = ResumeCheck.of("test-epochs", Map.of("max-epochs", 2)).workflow("[[train, 1], [val, 1]]").in(dir);
        ResumeCheck.Run straight = check.straight();
        assertEquals(RunOutcome.COMPLETED, straight.outcome());
        assertEquals(8, straight.model().trainSteps(), "2 epochs of the 4 train batches of Setup.small()");
        assertEquals(6, straight.model().valSteps());
        assertEquals(4, straight.optimizer().steps(), "a step every 2 iterations");
        assertEquals(straight.harness().calls(), straight.calls(), "the harness's recorder and the check's see the same calls");
        assertEquals(1, check.callIndex("beforeRun none e0 i0 in0"));
        assertEquals(4, check.callIndex("afterTrainIter e0 i0 in0"));
        assertThrows(IllegalArgumentException.class, () -> check.callIndex("afterTrainIter e9 i0 in0"));
        check.assertExact();
    }

    @Test
    void theIterWalkResumesExactlyToo() {
        ResumeCheck.of("test-iters", Map.of("max-iters", 7)).workflow("[[train, 3], [val, 2]]").in(dir).assertExact();
    }

    @Test
    void anInterruptOrASaveReportsWhereItStoppedAndWhatItResumedFrom() {
        ResumeCheck check = ResumeCheck.of(new TestProviders.EpochsProvider(), Map.of("max-epochs", 2)).in(dir);
        int k = check.callIndex("afterTrainIter e0 i1 in1");
        ResumeCheck.Result interrupted = check.interruptAt(k);
        assertEquals(RunOutcome.INTERRUPTED, interrupted.stoppedOutcome());
        assertEquals(dir.resolve("interrupt-" + k).resolve("iter_2.safetensors"), interrupted.checkpoint());
        assertNull(interrupted.difference(), interrupted.toString());
        assertEquals("stop at call " + k + " (afterTrainIter e0 i1 in1): exact", interrupted.toString());
        ResumeCheck.Result saved = check.saveAt(k);
        assertEquals(RunOutcome.COMPLETED, saved.stoppedOutcome(), "a save does not stop the run");
        assertTrue(saved.exact(), saved.toString());
        ResumeCheck.Result last = check.interruptAt(check.calls().size());
        assertEquals(RunOutcome.COMPLETED, last.stoppedOutcome(), "an interrupt at afterRun comes too late");
        assertNull(last.checkpoint());
    }

    /** A hook that nudges the gradients by a count it does not save: resumed runs drift, and the check says so. */
    static final class Forgetful implements Hook {
        private int calls;

        @Override
        public String name() {
            return "forgetful";
        }

        @Override
        public void afterTrainIter(Runner runner) {
            calls++;
            if (calls % 3 == 0) {
                runner.optimizer().scaleGrads(0.5);
            }
        }
    }

    @Test
    void aHookThatForgetsItsStateIsCaught() {
        ResumeCheck check = ResumeCheck.of("test-epochs", Map.of("max-epochs", 2)).in(dir)
                .hook(Forgetful::new, Priority.VERY_HIGH);
        List<ResumeCheck.Result> bad = check.interruptEverywhere(r -> {});
        assertTrue(!bad.isEmpty(), "an unsaved counter changes the run after a resume");
        assertTrue(bad.get(0).difference().startsWith("parameters differ"), bad.get(0).toString());
        AssertionError e = assertThrows(AssertionError.class, check::assertExact);
        assertTrue(e.getMessage().contains("stop points do not resume exactly"), e.getMessage());
    }

    /** The same hook with its count saved resumes exactly. */
    static final class Remembering implements Hook {
        private long calls;

        @Override
        public String name() {
            return "remembering";
        }

        @Override
        public void afterTrainIter(Runner runner) {
            calls++;
            if (calls % 3 == 0) {
                runner.optimizer().scaleGrads(0.5);
            }
        }

        @Override
        public void saveState(Checkpoint.Section state) {
            state.put("calls", calls);
        }

        @Override
        public void loadState(Checkpoint.Section state) {
            calls = state.getLong("calls", 0);
        }
    }

    @Test
    void aHookThatSavesItsStateResumesExactly() {
        List<String> seen = new ArrayList<>();
        ResumeCheck check = ResumeCheck.of("test-epochs", Map.of("max-epochs", 2)).in(dir)
                .hook(Remembering::new, Priority.VERY_HIGH);
        assertEquals(List.of(), check.saveEverywhere(r -> seen.add(r.stage().compact())));
        assertEquals(check.calls().size() - 1, seen.size(), "every call but afterRun");
    }
}
