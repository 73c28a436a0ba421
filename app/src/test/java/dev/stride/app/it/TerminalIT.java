package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stride in a real terminal: tmux runs {@code bin/stride train} in a pseudo-terminal 80 and 120
 * columns wide, and the screen is read with {@code capture-pane} while it trains and at the end.
 * The progress bar lives on the last line and never wraps; the loggers' lines are printed whole
 * above it, never overwritten by it and never glued to it. (CI installs tmux.)
 */
class TerminalIT {
    private static final Pattern BAR = Pattern.compile("^(Epoch \\d+/\\d+|Val)\\s+\\d+%.*");
    private static final Pattern LOG = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO (Epoch \\[\\d+]\\[\\d+/\\d+]\\s+lr: |Epoch\\(val\\) \\[\\d+]\\[\\d+]\\s+|"
                    + "Training |Done: |Java |Engine: |Model: ).*");

    @TempDir
    Path tmp;

    /**
     * A tmux command on {@code socket}'s server. Each run has its own server: after the last session
     * of a server is killed the server exits on its own time, and a next run's new-session on the
     * same socket could meet it dying.
     */
    private static String tmux(String socket, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out
                    + " (is tmux installed? .ci/run installs it)");
        }
        return out;
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {80, 120})
    void theBarAndTheLogLinesLiveTogether(int columns) throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Configs.write(tmp, "job.conf", """
                runner { type = epoch, max-epochs = 3 }
                workflow = [[train, 1], [val, 1]]
                work-dir = "%s"
                model { type = mlp, hidden = [1024, 1024] }  # steps slow enough for the screen to be seen several times
                data {
                  train { type = synthetic, size = 6400, shape = [1, 28, 28], num-classes = 10, batch-size = 32 }
                  val { type = synthetic, size = 960, shape = [1, 28, 28], num-classes = 10, batch-size = 32, seed = 1 }
                }
                optimizer { type = sgd, lr = 0.01 }
                hooks = [
                  { type = text-logger, interval = 40 }
                  { type = progress }
                ]
                """.formatted(work));
        String session = "t" + columns;
        String socket = "stride-terminal-it-" + columns + "-" + ProcessHandle.current().pid();
        String command = "cd " + tmp + " && JAVA_HOME=" + System.getProperty("java.home") + " bash "
                + StrideCli.dist().resolve("bin/stride") + " train " + cfg + "; echo EXIT=$?; sleep 120";
        tmux(socket, "new-session", "-d", "-s", session, "-x", Integer.toString(columns), "-y", "50", command);
        List<String> bars = new ArrayList<>();
        Path socketFile = null;
        try {
            socketFile = Path.of(tmux(socket, "display-message", "-p", "#{socket_path}").strip());
            String screen = "";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!screen.contains("EXIT=") && System.nanoTime() < deadline) {
                Thread.sleep(150);
                screen = tmux(socket, "capture-pane", "-p", "-t", session);
                List<String> rows = screen.lines().filter(l -> !l.isBlank()).toList();
                List<String> barRows = rows.stream().filter(l -> BAR.matcher(l).matches()).toList();
                assertTrue(barRows.size() <= 1, "one bar at most on the screen:\n" + screen);
                if (!barRows.isEmpty()) {
                    String bar = barRows.get(0);
                    bars.add(bar);
                    assertEquals(bar, rows.get(rows.size() - 1), "the bar is on the last line:\n" + screen);
                    assertTrue(bar.length() < columns, "the bar never fills or wraps the line: " + bar.length() + " columns");
                }
            }
            assertTrue(screen.contains("EXIT=0"), "the run ends well:\n" + screen);
            assertTrue(bars.size() >= 3, "bars were seen while training: " + bars);
            // the whole history, wrapped lines joined (tmux shows the tab as spaces): every line a complete log line or the launcher's own
            String history = tmux(socket, "capture-pane", "-p", "-J", "-S", "-", "-t", session);
            List<String> lines = history.lines().filter(l -> !l.isBlank()).toList();
            List<String> logLines = lines.stream().filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d .*")).toList();
            assertEquals(3 + 3 * 5 + 3 + 2, logLines.size(),
                    "Java, Engine and Model, 5 train lines and a val line per epoch, Training and Done:\n" + history);
            assertTrue(lines.stream().anyMatch(l -> l.matches("^\\s+Parameters: [\\d,]+ \\(trainable [\\d,]+, other 0\\)$")),
                    "the model summary, whole:\n" + history);
            for (String line : logLines) {
                assertTrue(LOG.matcher(line).matches(), "a whole log line: " + line);
                assertFalse(line.contains("%|") || line.contains("% |") || line.contains("run eta"),
                        "no bar glued to a log line: " + line);
            }
            assertTrue(lines.stream().noneMatch(l -> BAR.matcher(l).matches()), "no bar left on the screen:\n" + history);
        } finally {
            // the server goes with its only session (and the shell still sleeping in it); tmux leaves the socket file
            new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
        }
    }
}
