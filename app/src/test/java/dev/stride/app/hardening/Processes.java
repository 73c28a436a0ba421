package dev.stride.app.hardening;

import dev.stride.app.it.ProcessControl;
import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Real stride processes for the hardening ITs: an MNIST job, signals, log files. */
final class Processes {
    private Processes() {}

    /** Train iterations per epoch of {@link #mnistJob}: 8,000 samples in batches of 8. */
    static final int MNIST_JOB_ITERS = 1000;

    /**
     * MLP with dropout and Adam (random draws in every step) on 8,000 MNIST images in batches of 8:
     * 3 epochs of {@link #MNIST_JOB_ITERS} iterations, a val epoch after each, a JSON log record
     * every 10 iterations. The epochs are long so that a signal sent early in one lands well inside
     * it on a slow machine too.
     */
    static String mnistJob(Path work, String checkpointHook) {
        String root = StrideCli.repo().resolve("data/mnist-10k").toString();
        return """
                runner { type = epoch, max-epochs = 3 }
                workflow = [[train, 1], [val, 1]]
                seed = 11
                work-dir = "%s"
                model { type = mlp, hidden = [48], dropout = 0.3 }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 8, shuffle = true, limit = 8000 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 200, limit = 200 }
                }
                optimizer { type = adam, lr = 0.003 }
                hooks = [
                  %s
                  { type = json-logger, interval = 10 }
                ]
                """.formatted(work, root, root, checkpointHook);
    }

    /** Sends {@code signal} (INT, TERM ...) with the kill command. */
    static void kill(String signal, Process p) throws Exception {
        ProcessControl.kill(signal, p);
    }

    /** Whether the process ignores SIGINT (started under nohup or from a shell without job control). */
    static boolean ignoresSigint(Process p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    /** Waits until the work dir's JSON log has {@code lines} lines (at most 2 minutes). */
    static void waitForLogLines(Path work, int lines, Process p) throws Exception {
        waitFor(() -> ProcessControl.jsonLog(work).size() >= lines, p, lines + " log records");
    }

    /** A condition that may throw. */
    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** Waits until {@code check} holds (at most 2 minutes); fails when the run ends first. */
    static void waitFor(Check check, Process p, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the run ended (exit " + p.exitValue() + ") before " + what);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " in 2 minutes");
    }

    /** Waits until a checkpoint temp file appears in {@code dir} (the run is inside a write); returns it. */
    static Path waitForTempFile(Path dir, Process p) throws Exception {
        Path[] found = new Path[1];
        waitFor(() -> {
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (Stream<Path> s = Files.list(dir)) {
                found[0] = s.filter(f -> f.getFileName().toString().contains(".safetensors" + AtomicFiles.TEMP_MARK))
                        .findFirst().orElse(null);
            }
            return found[0] != null;
        }, p, "a checkpoint temp file");
        return found[0];
    }

    /** The logged losses and accuracies, record by record, for comparing runs. */
    static List<String> losses(Path work) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : ProcessControl.jsonLog(work)) {
            out.add(r.get("mode") + "@" + r.get("global_iter") + "=" + r.get("loss") + (r.containsKey("accuracy") ? "/" + r.get("accuracy") : ""));
        }
        return out;
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
