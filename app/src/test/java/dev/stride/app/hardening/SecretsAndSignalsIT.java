package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 9 and 10: a value from an environment variable is recorded as its reference,
 * never as the value; SIGHUP (the terminal closing) stops the run like SIGTERM, with a checkpoint
 * and exit status 129. Real {@code stride} processes.
 */
class SecretsAndSignalsIT {
    private static final String SECRET = "secret-123";

    @TempDir
    Path tmp;

    @Test
    void valuesFromTheEnvironmentStayOutOfCheckpointsAndLogs() throws Exception {
        Path work = tmp.resolve("work");
        String job = Jobs.synthetic(work, 2, """
                { type = checkpoint, interval = 1 }
                  { type = text-logger, interval = 5 }
                  { type = json-logger, interval = 5 }""")
                + "vars { token = ${?API_TOKEN}, header = \"Bearer \"${API_TOKEN}, list = [${?API_TOKEN}] }\n";
        Path cfg = Jobs.write(tmp, "job.conf", job);
        StrideCli.Result r = StrideCli.run(tmp, Map.of("API_TOKEN", SECRET), "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.all().contains(SECRET), r.all());

        List<Path> files;
        try (Stream<Path> s = Files.walk(work)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        List<String> leaking = new ArrayList<>();
        for (Path f : files) {
            if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET)) {
                leaking.add(f.toString());
            }
        }
        assertEquals(List.of(), leaking, "files of the work dir holding the secret");
        assertTrue(files.size() >= 5, "checkpoints, pointer, both logs, lock: " + files);
        String config = CheckpointFiles.read(work.resolve("epoch_2.safetensors")).metadata().get("config");
        assertTrue(config.contains("\"token\":\"${?API_TOKEN}\""), config);
        assertTrue(config.contains("${API_TOKEN}"), config);
        assertTrue(config.contains("\"list\":[\"${?API_TOKEN}\"]"), config);
        System.out.println("SecretsAndSignalsIT: " + files.size() + " files of the work dir searched, " + leaking.size()
                + " hold the secret");

        // the recorded reference compares equal on resume: a value from the environment is no change
        StrideCli.Result resumed = StrideCli.run(tmp, Map.of("API_TOKEN", SECRET), "train", cfg.toString(), "--resume", "auto",
                "--set", "runner.max-epochs=3");
        assertEquals(0, resumed.exit(), resumed.all());
    }

    @Test
    void sighupStopsAfterTheIterationWithACheckpointAndExit129() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 10_000, "{ type = checkpoint, interval = 1 }"));
        Path out = tmp.resolve("out.txt");
        Process p = StrideCli.start(tmp, Map.of(), out, tmp.resolve("err.txt"), "train", cfg.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.exists(work.resolve(CheckpointFiles.LATEST)) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assumeFalse(ignores(p, 1), "started with SIGHUP ignored (nohup): nothing to test");
            Processes.kill("HUP", p);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped after SIGHUP");
        } finally {
            p.destroyForcibly();
        }
        String log = Processes.read(out);
        assertEquals(129, p.exitValue(), log);
        assertTrue(log.contains("SIGHUP: stopping after this iteration, with a checkpoint"), log);
        assertTrue(log.contains("Stopped (SIGHUP) at epoch "), log);
        Path latest = WorkDirs.assertIntact(work);
        // iter_N mid-epoch, or epoch_N when the signal came as an epoch ended (10 steps an epoch are quick)
        assertTrue(log.matches("(?s).*Stopped \\(SIGHUP\\) at epoch \\d+, iter \\d+; checkpoint \\S*"
                + java.util.regex.Pattern.quote(latest.getFileName().toString()) + ".*"), "a checkpoint of where it stopped, "
                + latest + ":\n" + log);

        long epoch = Long.parseLong(CheckpointFiles.readMetadata(latest).get("runner.epoch"));
        StrideCli.Result resumed = StrideCli.run(tmp, "train", cfg.toString(), "--resume", "auto",
                "--set", "runner.max-epochs=" + (epoch + 1));
        assertEquals(0, resumed.exit(), resumed.all());
        assertTrue(resumed.out().contains("Resumed from " + latest), resumed.out());
    }

    /** Whether the process ignores signal {@code number} (SigIgn of /proc/PID/status). */
    private static boolean ignores(Process p, int number) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }
}
