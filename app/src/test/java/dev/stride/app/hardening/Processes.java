package dev.stride.app.hardening;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.internal.Json;
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

    /**
     * MLP with dropout and Adam (random draws in every step) on 1,600 MNIST images: 50 steps per
     * epoch, 3 epochs, a val epoch after each, a JSON log line every 10 steps.
     */
    /** Train iterations per epoch of {@link #mnistJob}: 8,000 samples in batches of 8. */
    static final int MNIST_JOB_ITERS = 1000;

    /**
     * A 3-epoch MLP job with one val epoch after each train epoch and a JSON log every 10
     * iterations. Its epochs are long (1,000 small iterations) so that a signal sent a few
     * iterations in lands well inside the epoch on a slow machine too.
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
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + p.pid() + " failed");
        }
    }

    /**
     * Sends {@code signal} to a stopped copy of the process: SIGSTOP, then {@code check} on the
     * frozen work dir (the run cannot move on while it looks), then the signal and SIGCONT. So what
     * {@code check} saw is where the run was when the signal came, give or take the iterations
     * since its last log line.
     */
    static void killWhileStopped(String signal, Process p, ThrowingRunnable check) throws Exception {
        kill("STOP", p);
        try {
            check.run();
            kill(signal, p);
        } finally {
            kill("CONT", p);
        }
    }

    /** A check that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
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
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (jsonLog(work).size() >= lines) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the run ended (exit " + p.exitValue() + ") before logging " + lines + " lines");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the run did not log " + lines + " lines in 2 minutes");
    }

    /** Every record of every {@code *.log.json} of a work dir, in file (time) order; a partial last line is left out. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonLog(Path work) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isDirectory(work)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(work)) {
            files = s.filter(p -> p.toString().endsWith(".log.json")).sorted().toList();
        }
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, end + 1).split("\n")) {
                if (!line.isEmpty()) {
                    Map<String, Object> record = (Map<String, Object>) Json.parse(line);
                    if (record.containsKey("mode")) { // the first line describes the run
                        out.add(record);
                    }
                }
            }
        }
        return out;
    }

    /** The logged losses and accuracies, record by record, for comparing runs. */
    static List<String> losses(Path work) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : jsonLog(work)) {
            out.add(r.get("mode") + "@" + r.get("global_iter") + "=" + r.get("loss") + (r.containsKey("accuracy") ? "/" + r.get("accuracy") : ""));
        }
        return out;
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
