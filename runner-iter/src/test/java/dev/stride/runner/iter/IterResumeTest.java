package dev.stride.runner.iter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.testkit.ResumeCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact resume of the iter runner. Set-up: train 10 samples in batches of 3 (4 batches per pass),
 * val 5 samples in batches of 2 (3 batches), gradients accumulated over 2 iterations, workflow
 * [[train, 3], [val, 2]], max-iters 10: both endless loaders wrap into new epochs during the run,
 * and a val phase runs after max-iters is reached.
 */
class IterResumeTest {
    private static final Workflow WORKFLOW = Workflow.of(new Phase(Mode.TRAIN, 3), new Phase(Mode.VAL, 2));

    @TempDir
    Path dir;

    /** The runner found by name, as a plugin author finds theirs; Setup.small() is the default set-up. */
    private ResumeCheck sweep() {
        return ResumeCheck.of("iter", Map.of("max-iters", 10)).workflow(WORKFLOW).setup(ResumeCheck.Setup.small()).in(dir);
    }

    @Test
    void straightRunShape() {
        ResumeCheck.Run t = sweep().straight();
        assertEquals(RunOutcome.COMPLETED, t.outcome());
        assertEquals(10, t.model().trainSteps());
        // cycles: TTT VV | TTT VV | TTT VV | T (max reached) VV
        assertEquals(8, t.model().valSteps());
        assertEquals(5, t.optimizer().steps());
    }

    @ParameterizedTest(name = "interrupt at {0}")
    @ValueSource(strings = {
            "beforeEpoch e0 i0 in0", // stops after the first step
            "afterTrainIter e0 i0 in0", // accumulated gradient pending
            "afterTrainIter e0 i1 in1",
            "afterTrainIter e0 i2 in2", // last iteration of a train phase
            "beforeValEpoch e0 i3 in0", // stops after the first val step
            "afterValIter e0 i3 in0", // mid val phase
            "afterValEpoch e0 i3 in2", // between phases
            "afterTrainIter e0 i4 in1", // the train loader is in its second pass
            "afterValIter e1 i6 in1", // end of a val phase whose loader wrapped
    })
    void interruptedAndResumedRunEqualsStraightRun(String stopAt) {
        ResumeCheck s = sweep();
        ResumeCheck.Result r = s.interruptAt(s.callIndex(stopAt));
        assertEquals(RunOutcome.INTERRUPTED, r.stoppedOutcome());
        assertNull(r.difference(), r.toString());
    }

    /** After the 10th iteration iter == max-iters, but the cycle's val phase still runs in its turn. */
    @ParameterizedTest(name = "interrupt at {0}")
    @ValueSource(strings = {
            "afterTrainIter e2 i9 in0", // the last train iteration: the final val phase is still due
            "afterValIter e2 i10 in0", // inside the final val phase
    })
    void resumeAfterMaxItersStillRunsTheFinalValPhaseOfTheCycle(String stopAt) {
        ResumeCheck s = sweep();
        ResumeCheck.Result r = s.interruptAt(s.callIndex(stopAt));
        assertEquals(RunOutcome.INTERRUPTED, r.stoppedOutcome());
        assertNull(r.difference(), r.toString());
    }

    /**
     * A hook may save a checkpoint in beforeTrainIter / beforeValIter (the runner's position is then
     * "this step not done yet"). The iter runner has already taken that step's batch from the endless
     * loader, so the checkpoint's loader cursor must still point at it, or the resumed run skips it.
     */
    @ParameterizedTest(name = "save at {0}")
    @ValueSource(strings = {
            "beforeTrainIter e0 i1 in1",
            "beforeTrainIter e0 i4 in1", // first batch of the train loader's second pass
            "beforeValIter e0 i3 in1",
    })
    void checkpointSavedInABeforeIterStageResumesWithTheBatchInHand(String saveAt) {
        ResumeCheck s = sweep();
        ResumeCheck.Result r = s.saveAt(s.callIndex(saveAt));
        assertNull(r.difference(), r.toString());
    }

    @ParameterizedTest(name = "save at {0}")
    @ValueSource(strings = {
            "afterTrainIter e0 i0 in0",
            "afterTrainIter e0 i2 in2",
            "beforeValEpoch e0 i3 in0",
            "afterValIter e0 i3 in0",
            "afterValEpoch e0 i3 in2",
            "afterTrainIter e0 i4 in1",
    })
    void checkpointSavedByAHookResumesExactly(String saveAt) {
        ResumeCheck s = sweep();
        ResumeCheck.Result r = s.saveAt(s.callIndex(saveAt));
        assertNull(r.difference(), r.toString());
    }

    @Test
    void interruptAtEveryHookCallResumesExactly() {
        ResumeCheck s = sweep();
        List<String> checked = new ArrayList<>();
        List<String> notInterrupted = new ArrayList<>();
        List<ResumeCheck.Result> bad = s.interruptEverywhere(r -> {
            checked.add(r.stage().compact());
            if (r.stoppedOutcome() != RunOutcome.INTERRUPTED) {
                notInterrupted.add(r.stage().compact() + " -> " + r.stoppedOutcome());
            }
        });
        assertEquals(47, checked.size(), "stop points checked (every hook call of the run but afterRun)");
        // afterEpoch comes after the loop's last stop check: the run is complete by then
        assertEquals(List.of("afterEpoch e2 i10 in2 -> COMPLETED"), notInterrupted);
        assertTrue(bad.isEmpty(), bad.size() + " of " + checked.size() + " stop points do not resume exactly:\n"
                + String.join("\n", bad.stream().map(Object::toString).toList()));
    }

    @Test
    void checkpointSavedByAHookAtEveryCallResumesExactly() {
        ResumeCheck s = sweep();
        List<String> checked = new ArrayList<>();
        List<ResumeCheck.Result> bad = s.saveEverywhere(r -> checked.add(r.stage().compact()));
        assertEquals(47, checked.size(), "stop points checked (every hook call of the run but afterRun)");
        assertTrue(bad.isEmpty(), bad.size() + " of " + checked.size() + " checkpoints do not resume exactly:\n"
                + String.join("\n", bad.stream().map(Object::toString).toList()));
    }
}
