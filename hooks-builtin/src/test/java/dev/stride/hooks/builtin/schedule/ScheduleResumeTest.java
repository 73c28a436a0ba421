package dev.stride.hooks.builtin.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run stopped after k iterations and resumed from its checkpoint sets exactly the lr and
 * momentum at every later iteration that an uninterrupted run sets. The optimizer's state holds
 * its already-scheduled values, as torch's does, so this fails if before-run re-captured them.
 */
class ScheduleResumeTest {
    static Stream<Arguments> scenarios() {
        return Stream.of(
                // by epoch, warm-up crossing the stop and an epoch boundary; stops mid-epoch and at an epoch end
                Arguments.of("step by epoch, linear warm-up", 3, (Supplier<ScheduleRun>) () -> ScheduleRun.epochs(4, 5).mmcvMulti()
                        .lr("policy = step, step = [1, 3], warmup = linear, warmup-iters = 7")
                        .momentum("policy = step, step = 2, warmup = exp, warmup-iters = 6")),
                Arguments.of("step by epoch, stop at an epoch end", 10, (Supplier<ScheduleRun>) () -> ScheduleRun.epochs(4, 5)
                        .mmcvMulti().lr("policy = step, step = [1, 3], warmup = linear, warmup-iters = 7")),
                Arguments.of("step by epoch, after warm-up", 12, (Supplier<ScheduleRun>) () -> ScheduleRun.epochs(4, 5)
                        .mmcvMulti().lr("policy = cosine, min-lr-ratio = 0.01, warmup = constant, warmup-iters = 7")),
                Arguments.of("warmup-by-epoch", 6, (Supplier<ScheduleRun>) () -> ScheduleRun.epochs(3, 4).mmcvSingle()
                        .lr("policy = poly, power = 0.9, warmup = exp, warmup-iters = 2, warmup-by-epoch = true")),
                Arguments.of("cosine per iteration", 7, (Supplier<ScheduleRun>) () -> ScheduleRun.iters(20, 6).mmcvMulti()
                        .lr("policy = cosine, by-epoch = false, min-lr = 1e-4, warmup = exp, warmup-iters = 9")
                        .momentum("policy = linear, by-epoch = false, min-momentum-ratio = 0.9")),
                Arguments.of("one-cycle", 6, (Supplier<ScheduleRun>) () -> ScheduleRun.iters(20, 6).mmcvMulti()
                        .lr("policy = one-cycle, max-lr = 0.1, three-phase = true")
                        .momentum("policy = one-cycle")),
                Arguments.of("cyclic", 9, (Supplier<ScheduleRun>) () -> ScheduleRun.iters(20, 6).mmcvSingle()
                        .lr("policy = cyclic, cyclic-times = 3, gamma = 0.7")
                        .momentum("policy = cyclic, cyclic-times = 2, anneal-strategy = linear")),
                Arguments.of("cosine-restart", 11, (Supplier<ScheduleRun>) () -> ScheduleRun.iters(20, 6).mmcvSingle()
                        .lr("policy = cosine-restart, by-epoch = false, periods = [8, 12], restart-weights = [1, 0.5],"
                                + " min-lr-ratio = 0.1")));
    }

    @ParameterizedTest(name = "{0}, stop after {1}")
    @MethodSource("scenarios")
    void resumedRunSetsTheSameValues(String name, int k, Supplier<ScheduleRun> setup, @TempDir Path dir) {
        ScheduleRun.Recorded straight = setup.get().run();

        ScheduleRun first = setup.get().workDir(dir).stopAfter(k);
        ScheduleRun.Recorded head = first.run();
        assertEquals(RunOutcome.STOPPED, head.outcome());
        assertEquals(k, head.steps());
        Path checkpoint = CheckpointFiles.latest(dir).orElseThrow();

        ScheduleRun.Recorded tail = setup.get().workDir(dir).resumeFrom(checkpoint).run();
        assertEquals(straight.steps() - k, tail.steps(), "iterations after the resume");
        for (int i = 0; i < tail.steps(); i++) {
            assertArrayEquals(straight.lrs().get(k + i), tail.lrs().get(i), 0, "lr at iter " + (k + i));
            assertArrayEquals(straight.momenta().get(k + i), tail.momenta().get(i), 0, "momentum at iter " + (k + i));
        }
        for (int i = 0; i < k; i++) {
            assertArrayEquals(straight.lrs().get(i), head.lrs().get(i), 0, "lr before the stop, iter " + i);
        }
    }

    /**
     * The control: without the hook's saved state, before-run takes the optimizer's restored,
     * already-decayed lr as the initial one, and the rest of the run differs (MMCV's behaviour when
     * a checkpoint lacks initial_lr).
     */
    @Test
    void withoutTheSavedStateTheResumeWouldDrift(@TempDir Path dir) {
        Supplier<ScheduleRun> setup = () -> ScheduleRun.epochs(4, 5).mmcvSingle().lr("policy = step, step = [1, 3]");
        ScheduleRun.Recorded straight = setup.get().run();
        setup.get().workDir(dir).stopAfter(7).run();
        Checkpoint full = CheckpointFiles.read(CheckpointFiles.latest(dir).orElseThrow());
        Checkpoint stripped = new Checkpoint();
        full.tensors().forEach(stripped::putTensor);
        full.metadata().forEach((key, value) -> {
            if (!key.startsWith("hook.lr-schedule.")) {
                stripped.putMetadata(key, value);
            }
        });
        assertFalse(stripped.metadata().keySet().stream().anyMatch(key -> key.contains("initial_lr")));
        Path file = dir.resolve("stripped.safetensors");
        CheckpointFiles.write(file, stripped);

        ScheduleRun.Recorded tail = setup.get().workDir(dir).resumeFrom(file).run();
        List<Double> expected = straight.lrs().subList(7, straight.steps()).stream().map(a -> a[0]).toList();
        List<Double> drifted = tail.lrs().stream().map(a -> a[0]).toList();
        assertNotEquals(expected, drifted);
        assertEquals(0.02 * 0.1 * 0.1, drifted.get(0), 1e-18, "the decayed lr taken as initial, decayed again");
    }
}
