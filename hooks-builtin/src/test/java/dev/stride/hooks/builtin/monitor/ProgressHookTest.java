package dev.stride.hooks.builtin.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stride.runner.api.Hook;
import dev.stride.hooks.builtin.testing.Sleep;
import dev.stride.runner.api.Runner;
import dev.stride.runner.testkit.Harness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** By default (interval null) the plain lines would repeat what a text logger prints: none then, else every 50. */
    @Test
    void byDefaultPlainLinesOnlyWithoutATextLogger() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Harness.iters(120, 4).in(dir).hook(new ProgressHook(0, 0, false, out, System::nanoTime), 90).run();
        List<String> alone = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, alone.size(), "iterations 50, 100, 120 and done: " + alone);
        assertTrue(alone.get(0).startsWith("progress: iter 50/120 "), alone.get(0));

        bytes.reset();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)); // the logger's lines
        try {
            Harness.iters(120, 4).in(dir.resolve("logged")).hook(new ProgressHook(0, 0, false, out, System::nanoTime), 90)
                    .hook("text-logger", "interval = 10").run();
        } finally {
            System.setOut(stdout);
        }
        List<String> logged = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, logged.size(), "with a text logger only the closing line: " + logged);
        assertTrue(logged.get(0).startsWith("progress: done, 120 iterations"), logged.get(0));
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

    /**
     * On a terminal the bar lives on the last line: a log line printed meanwhile clears it, is
     * printed whole on a line of its own, and the bar is drawn again below it; the bar never takes
     * more than the width (so it never wraps). The raw output is replayed on {@link TerminalReplay}.
     */
    @Test
    void onATerminalLogLinesAndTheBarLiveTogether() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            ProgressHook hook = new ProgressHook(1, 40, true, capture, System::nanoTime);
            Harness.epochs(2, 6).in(dir).workflow("[[train, 1], [val, 1]]").hook(hook, 90).hook(new Hook() {
                @Override
                public void afterTrainIter(Runner r) {
                    Sleep.millis(30); // the bar's thread redraws every 100 ms: some redraws fall between lines
                    if (r.innerIter() % 3 == 2) {
                        System.out.println("log line of iteration " + (r.iter() + 1));
                    }
                }
            }, 95).run();
        } finally {
            System.setOut(stdout);
        }
        String raw = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(raw.contains("\u001b[K"), "the bar is cleared before each line");
        List<String> screen = TerminalReplay.lines(raw);
        List<String> logs = screen.stream().filter(l -> l.startsWith("log line")).toList();
        assertEquals(List.of("log line of iteration 3", "log line of iteration 6", "log line of iteration 9",
                "log line of iteration 12"), logs, "each log line whole, on its own line: " + screen);
        List<String> bars = java.util.Arrays.stream(raw.split("\r\u001b\\[K")).filter(d -> !d.isEmpty() && !d.contains("\n"))
                .toList();
        assertTrue(bars.size() >= 4, "a bar per epoch and val phase at least: " + bars);
        assertTrue(bars.stream().allMatch(b -> b.replaceAll("\u001b\\[[0-9;]*m", "").length() <= 39),
                "no bar wider than 39 columns: " + bars);
        assertEquals("", screen.get(screen.size() - 1), "the cursor on a fresh line at the end");
        assertTrue(screen.get(screen.size() - 2).startsWith("progress: done, 12 iterations in 0:00:"), screen.toString());
        assertTrue(raw.contains("Epoch 1/2") && raw.contains("Epoch 2/2") && raw.contains("Val"), raw);
    }

    @Test
    void aScreenKeepsTheBarBelowTheLinesAndCutsItToTheWidth() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Screen screen = new Screen(new PrintStream(bytes, true, StandardCharsets.UTF_8), 20);
        screen.drawBar("Epoch 1/4 ███      12/125 eta 0:00:09 and more");
        screen.println("first line");
        screen.drawBar("Epoch 1/4 ████     50/125");
        screen.print("second ");
        screen.println("line");
        assertEquals(List.of("first line", "second line", "Epoch 1/4 ████     "),
                TerminalReplay.lines(bytes.toString(StandardCharsets.UTF_8)), "the bar below the lines, cut to 19 columns");
        screen.clearBar();
        screen.println("third line");
        assertEquals(List.of("first line", "second line", "third line", ""),
                TerminalReplay.lines(bytes.toString(StandardCharsets.UTF_8)));
    }
}
