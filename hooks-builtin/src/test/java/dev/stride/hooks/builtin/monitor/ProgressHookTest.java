package dev.stride.hooks.builtin.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stride.runner.api.Hook;
import dev.stride.runner.testkit.Harness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressHookTest {
    @TempDir
    Path dir;

    @Test
    void withoutATerminalPrintsAPlainLineEveryInterval() {
        assumeTrue(System.console() == null, "the test JVM has a terminal");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        Hook hook;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            hook = Harness.newHook("progress", "interval = 3");
        } finally {
            System.setOut(stdout);
        }
        Harness.epochs(2, 4).in(dir).hook(hook, 90).run();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines::toString);
        Pattern line = Pattern.compile("progress: epoch \\d/2, iter \\d/8 \\(\\d+%\\), \\d+\\.\\d it/s, eta \\d+:\\d\\d:\\d\\d");
        assertTrue(line.matcher(lines.get(0)).matches(), lines.get(0));
        assertTrue(lines.get(0).startsWith("progress: epoch 1/2, iter 3/8 (37%)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("progress: epoch 2/2, iter 6/8 (75%)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("progress: epoch 2/2, iter 8/8 (100%)"), "the last iteration: " + lines.get(2));
        assertTrue(lines.get(3).startsWith("progress: done, 8 iterations in 0:00:"), lines.get(3));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).indexOf('\r') < 0);
    }

    @Test
    void theEtaExtrapolatesTheTimePerIteration() {
        // a fake clock advancing one second per reading: read at the start and at the 5th iteration
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] t = {0};
        ProgressHook hook = new ProgressHook(5, 10, false, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                () -> t[0] += 1_000_000_000L);
        Harness.iters(20, 4).in(dir).hook(hook, 90).run();
        String first = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        // 5 iterations in 1 s: 5 it/s, 15 left -> 3 s
        assertEquals("progress: iter 5/20 (25%), 5.0 it/s, eta 0:00:03", first);
    }

    @Test
    void onATerminalRedrawsABarOfTheConfiguredWidthInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] t = {0};
        // 50 ms per clock reading: redraws at most every 100 ms, and at the end of each epoch and phase
        ProgressHook hook = new ProgressHook(1, 8, true, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                () -> t[0] += 50_000_000L);
        Harness.epochs(2, 4).in(dir).workflow("[[train, 1], [val, 1]]").hook(hook, 90).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = List.of(out.split("\n"));
        assertEquals(5, lines.size(), () -> Arrays.toString(out.split("\r")));
        String[] epoch1 = lines.get(0).split("\r");
        String last = epoch1[epoch1.length - 1].isBlank() ? epoch1[epoch1.length - 2] : epoch1[epoch1.length - 1];
        assertTrue(last.startsWith("Epoch 1/2 [########] 4/4, epoch 1/2, iter 4/8 (50%)"), last);
        // readings 50 ms apart: iteration 1 is drawn, 2 is skipped (too soon), 3 and the epoch's end are drawn
        assertTrue(lines.get(0).contains("[##......] 1/4") && lines.get(0).contains("[######..] 3/4")
                && !lines.get(0).contains("] 2/4"), lines.get(0));
        assertTrue(lines.get(1).contains("val [########] 2/2"), lines.get(1));
        assertTrue(lines.get(4).startsWith("progress: done, 8 iterations"), lines.get(4));
    }

    @Test
    void theBarIsWidthCharactersWide() {
        ProgressHook hook = new ProgressHook(1, 20, true, System.out, System::nanoTime);
        assertEquals("[" + "#".repeat(5) + ".".repeat(15) + "]", hook.bar(1, 4));
        assertEquals("[" + "#".repeat(20) + "]", hook.bar(4, 4));
    }
}
