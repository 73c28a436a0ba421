package dev.stride.runner.epoch;

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
 * Exact resume of the epoch runner: a run interrupted at hook call k (or checkpointed there by a
 * hook) and resumed by a fresh runner must end with the same parameters, optimizer state and
 * gradients, see the same batches after k and log the same losses as a straight run.
 *
 * <p>Set-up: train 10 samples in batches of 3 (4 batches, the last of 1 sample), val 5 samples in
 * batches of 2 (3 batches), gradients accumulated over 2 iterations, workflow
 * [[train, 2], [val, 1]], max-epochs 3: T T V T V, 12 train iterations.
 */
class EpochResumeTest {
    private static final Workflow WORKFLOW = Workflow.of(new Phase(Mode.TRAIN, 2), new Phase(Mode.VAL, 1));

    @TempDir
    Path dir;

    /** The runner found by name, as a plugin author finds theirs; Setup.small() is the default set-up. */
    private ResumeCheck sweep() {
        return ResumeCheck.of("epoch", Map.of("max-epochs", 3)).workflow(WORKFLOW).setup(ResumeCheck.Setup.small()).in(dir);
    }

    @Test
    void straightRunShape() {
        ResumeCheck s = sweep();
        ResumeCheck.Run t = s.straight();
        assertEquals(RunOutcome.COMPLETED, t.outcome());
        assertEquals(12, t.model().trainSteps());
        assertEquals(6, t.model().valSteps());
        assertEquals(6, t.optimizer().steps(), "accumulating over 2 iterations steps every other iteration");
    }

    /** Stop points named by the hook call of the straight run at which the interrupt is requested. */
    @ParameterizedTest(name = "interrupt at {0}")
    @ValueSource(strings = {
            "beforeTrainIter e0 i0 in0", // first step of the run
            "afterTrainIter e0 i0 in0", // mid-epoch, with a gradient accumulated but not stepped
            "afterTrainIter e0 i1 in1", // mid-epoch, right after an optimizer step
            "afterTrainIter e0 i3 in3", // last batch of an epoch, before afterTrainEpoch
            "afterTrainEpoch e0 i4 in3", // epoch boundary
            "beforeTrainEpoch e1 i4 in3", // stops after the first step of epoch 1
            "afterTrainEpoch e1 i8 in3", // boundary before the first val epoch
            "beforeValEpoch e2 i8 in3", // stops after the first val step
            "afterValIter e2 i8 in1", // mid val epoch
            "afterValIter e2 i8 in2", // last val batch, before afterValEpoch
            "afterValEpoch e2 i8 in2", // after a val epoch
            "afterTrainIter e2 i10 in2", // mid last train epoch
    })
    void interruptedAndResumedRunEqualsStraightRun(String stopAt) {
        ResumeCheck s = sweep();
        ResumeCheck.Result r = s.interruptAt(s.callIndex(stopAt));
        assertEquals(RunOutcome.INTERRUPTED, r.stoppedOutcome());
        assertNull(r.difference(), r.toString());
    }

    /**
     * The last train epoch ends with epoch == max-epochs, but the cycle's val epoch still runs in its
     * turn (T T V T V). A run interrupted after that train epoch, or inside that final val epoch,
     * must still run the remaining val epoch when resumed.
     */
    @ParameterizedTest(name = "interrupt at {0}")
    @ValueSource(strings = {
            "afterTrainEpoch e2 i12 in3", // max-epochs reached; the final val epoch is still due
            "beforeValEpoch e3 i12 in3", // inside the final val epoch
            "afterValIter e3 i12 in1", // inside the final val epoch
    })
    void resumeAfterMaxEpochsStillRunsTheFinalValEpochOfTheCycle(String stopAt) {
        ResumeCheck s = sweep();
        ResumeCheck.Result r = s.interruptAt(s.callIndex(stopAt));
        assertEquals(RunOutcome.INTERRUPTED, r.stoppedOutcome());
        assertNull(r.difference(), r.toString());
    }

    /** Checkpoints a hook saves without stopping the run (as a checkpoint hook does). */
    @ParameterizedTest(name = "save at {0}")
    @ValueSource(strings = {
            "beforeTrainIter e0 i1 in1", // the step in progress is redone, from the same batch
            "afterTrainIter e0 i0 in0",
            "afterTrainIter e0 i3 in3",
            "afterTrainEpoch e0 i4 in3",
            "beforeValEpoch e2 i8 in3",
            "beforeValIter e2 i8 in1",
            "afterValIter e2 i8 in1",
            "afterValEpoch e2 i8 in2",
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
        assertEquals(List.of(), notInterrupted, "an interrupt at any hook call up to the last after-epoch stops the run");
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
