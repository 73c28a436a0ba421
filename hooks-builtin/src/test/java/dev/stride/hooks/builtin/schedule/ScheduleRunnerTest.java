package dev.stride.hooks.builtin.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Workflow;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the schedule hooks sit in the runners: names, priorities, both runners, val phases, state. */
class ScheduleRunnerTest {
    @Test
    void providersKeepTheirNamesAndPriorities() {
        assertEquals("lr-schedule", new LrScheduleProvider().name());
        assertEquals(Priority.VERY_HIGH.value(), new LrScheduleProvider().defaultPriority());
        assertEquals("momentum-schedule", new MomentumScheduleProvider().name());
        assertEquals(Priority.HIGH.value(), new MomentumScheduleProvider().defaultPriority());
        assertEquals("lr-schedule", ScheduleRun.hook("lr-schedule", "policy = fixed").name());
        assertEquals("momentum-schedule", ScheduleRun.hook("momentum-schedule", "policy = step, step = 1").name());
    }

    /** The iter runner calls before-epoch once and before-val-epoch per val phase: neither moves the schedule. */
    @Test
    void iterRunnerWithValPhasesSchedulesPerIteration() {
        ScheduleRun.Recorded r = ScheduleRun.iters(10, 3).mmcvSingle()
                .workflow(Workflow.of(new Phase(Mode.TRAIN, 3), new Phase(Mode.VAL, 1)))
                .lr("policy = step, by-epoch = false, step = 4, gamma = 0.5")
                .momentum("policy = step, by-epoch = false, step = [5], gamma = 0.5")
                .run();
        assertEquals(10, r.steps());
        for (int i = 0; i < 10; i++) {
            assertEquals(0.02 * Math.pow(0.5, i / 4), r.lrs().get(i)[0], 0, "lr at iter " + i);
            assertEquals(i < 5 ? 0.95 : 0.475, r.momenta().get(i)[0], 0, "momentum at iter " + i);
        }
    }

    /** warmup-by-epoch counts the train loader's batches per epoch, with the iter runner too. */
    @Test
    void warmupByEpochWithTheIterRunner() {
        ScheduleRun.Recorded r = ScheduleRun.iters(6, 4).mmcvSingle()
                .lr("policy = fixed, by-epoch = false, warmup = linear, warmup-iters = 1, warmup-by-epoch = true,"
                        + " warmup-ratio = 0.25")
                .run();
        // the same values MMCV 1.7.2 computes for the epoch runner (MmcvSourceValuesTest.fixedWarmupByEpoch)
        double[] expected = {0.005, 0.00875, 0.0125, 0.01625, 0.02, 0.02};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], r.lrs().get(i)[0], 0, "lr at iter " + i);
        }
    }

    /** Val epochs of the epoch runner do not advance or disturb a by-epoch schedule. */
    @Test
    void epochRunnerWithValEpochs() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(3, 2).mmcvSingle()
                .workflow(Workflow.of(new Phase(Mode.TRAIN, 1), new Phase(Mode.VAL, 1)))
                .lr("policy = step, step = 1, gamma = 0.1")
                .run();
        double[] expected = {0.02, 0.02, 0.02 * 0.1, 0.02 * 0.1, 0.02 * 0.1 * 0.1, 0.02 * 0.1 * 0.1};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], r.lrs().get(i)[0], 1e-18, "lr at iter " + i);
        }
    }

    /** The groups' initial values (MMCV's initial_lr / initial_momentum) are saved with every checkpoint. */
    @Test
    void checkpointsHoldTheInitialValues() {
        ScheduleRun h = ScheduleRun.epochs(2, 2).mmcvMulti()
                .lr("policy = step, step = 1")
                .momentum("policy = step, step = 1");
        h.run();
        Map<String, String> meta = h.runner().checkpoint().metadata();
        assertEquals("0.02", meta.get("hook.lr-schedule.initial_lr.0"));
        assertEquals("0.01", meta.get("hook.lr-schedule.initial_lr.1"));
        assertEquals("0.9", meta.get("hook.momentum-schedule.initial_momentum.1"));
        assertEquals("step", meta.get("hook.lr-schedule.policy"));
        // the optimizer itself holds the scheduled values by now
        assertEquals(0.002, h.runner().currentLr(), 1e-18);
    }
}
