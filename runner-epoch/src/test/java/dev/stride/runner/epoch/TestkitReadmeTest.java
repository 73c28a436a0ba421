package dev.stride.runner.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.testkit.Harness;
import dev.stride.runner.testkit.ResumeCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two example tests of runner-testkit/README.md, run here on the epoch runner they use; the
 * last test checks that every Java block of the README is quoted from this file, so the page
 * cannot drift from code that works.
 */
class TestkitReadmeTest {
    /** The plugin hook of the first example: stops the run once a train loss passes a ceiling. */
    static final class LossCeilingHook implements Hook {
        private final double ceiling;

        LossCeilingHook(double ceiling) {
            this.ceiling = ceiling;
        }

        @Override
        public void afterTrainIter(Runner runner) {
            if (runner.outputs().get("loss") > ceiling) {
                runner.requestStop("the loss passed " + ceiling, false);
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void stopsTheRunWhenTheLossPassesTheCeiling() {
        Harness h = Harness.epochs(3, 4).in(dir)                 // the real 'epoch' runner: 3 epochs of 4 batches
                .hook(new LossCeilingHook(2.5), Priority.NORMAL); // or by name: .hook("loss-ceiling", "ceiling = 2.5")
        h.model().losses(n -> n * 0.5);                          // scripted train losses: 0, 0.5, 1.0 ...
        assertEquals(RunOutcome.STOPPED, h.run());
        assertEquals(7, h.model().trainSteps());                 // the 7th loss, 3.0, passed the ceiling
        assertEquals("afterRun train e1 i7 in2", h.calls().get(h.calls().size() - 1).toString());
    }

    @Test
    void resumesExactlyFromACheckpointTakenAtAnyHookCall() {
        ResumeCheck check = ResumeCheck.of("epoch", Map.of("max-epochs", 3)) // your runner's name and options
                .workflow("[[train, 2], [val, 1]]")
                .setup(new ResumeCheck.Setup(7, 10, 3, 5, 2, 2)) // seed; train, val samples and batch; accumulate
                .in(dir);
        assertEquals(RunOutcome.COMPLETED, check.straight().outcome());
        check.assertExact(); // interrupted, then checkpointed, at every hook call; each resumed by a fresh runner
    }

    @Test
    void theReadmeQuotesTheseTests() throws IOException {
        String readme = Files.readString(Path.of("../runner-testkit/README.md"));
        String source = normalized(Files.readString(Path.of("src/test/java/dev/stride/runner/epoch/TestkitReadmeTest.java")));
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertFalse(blocks.isEmpty(), "the README has Java examples");
        for (String block : blocks) {
            for (String line : block.split("\n")) {
                if (!line.isBlank() && !line.startsWith("import ") && !line.startsWith("class ")
                        && !line.equals("}")) {
                    assertTrue(source.contains(normalized(line)), "not in this test: " + line);
                }
            }
        }
    }

    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
