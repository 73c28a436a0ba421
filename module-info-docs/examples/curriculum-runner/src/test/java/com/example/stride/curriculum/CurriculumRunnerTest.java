package com.example.stride.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import dev.stride.runner.testkit.ResumeCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner found by name, as a config selects it, under the testkit's harness and resume check. */
class CurriculumRunnerTest {
    private static final Map<String, Object> OPTIONS = Map.of("max-epochs", 3,
            "stages", List.of(Map.of("until-epoch", 1, "fraction", 0.5)));

    @TempDir
    Path dir;

    @Test
    void theFirstEpochUsesHalfTheBatches() {
        Harness h = Harness.runner("curriculum", OPTIONS).in(dir).train(FakeLoader.train(7, 10, 2)); // 5 batches
        assertEquals(RunOutcome.COMPLETED, h.run());
        assertEquals(3 + 5 + 5, h.model().trainSteps());
        assertEquals(13, h.runner().maxIters(), "max-iters is the sum of the shortened epochs");
        assertEquals("afterTrainEpoch train e0 i3 in2", h.calls().stream().map(Object::toString)
                .filter(c -> c.startsWith("afterTrainEpoch")).findFirst().orElseThrow());
    }

    @Test
    void resumesExactlyFromACheckpointTakenAtAnyHookCall() {
        ResumeCheck check = ResumeCheck.of("curriculum", OPTIONS).workflow("[[train, 2], [val, 1]]")
                .setup(new ResumeCheck.Setup(7, 10, 3, 5, 2, 2)).in(dir);
        assertEquals(RunOutcome.COMPLETED, check.straight().outcome());
        check.assertExact();
    }
}
