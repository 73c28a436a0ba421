package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit-exact resume of real training processes: stopped by SIGTERM or killed with SIGKILL at
 * random moments (some inside a checkpoint write), resumed with --resume auto, they end with the
 * same tensors and logged losses as an uninterrupted run.
 */
class ResumeIT {
    @TempDir
    Path tmp;

    private static final String MLP = "{ type = mlp, hidden = [48], dropout = 0.3 }";

    /** The scripted TorchScript CNN of examples/torchscript, whose BatchNorm statistics are buffers DJL does not expose. */
    private static String torchScript() {
        return "{ type = torchscript, file = \"" + StrideCli.repo().resolve("examples/torchscript/mnist_cnn_script.pt") + "\" }";
    }

    /** MLP with dropout and Adam (random draws in every step) on 3,200 images: 100 steps per epoch. */
    private String job(Path work, String runner, String checkpointHook) {
        return job(work, runner, checkpointHook, MLP);
    }

    /** {@code model} with Adam on 3,200 images: 100 steps per epoch. */
    private String job(Path work, String runner, String checkpointHook, String model) {
        String root = Configs.mnistRoot();
        return """
                runner { %s }
                workflow = [[train, 1], [val, 1]]
                seed = 11
                work-dir = "%s"
                model %s
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 32, shuffle = true, limit = 3200 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 200, limit = 400 }
                }
                optimizer { type = adam, lr = 0.003 }
                hooks = [
                  %s
                  { type = json-logger, interval = 15 }
                ]
                """.formatted(runner, work, model, root, root, checkpointHook);
    }

    /**
     * The same MLP on MNIST PNG folders decoded on 2 threads, with random augmentation: resized to
     * 32x32, a random 28x28 crop and a horizontal flip half the time, drawn from (seed, epoch,
     * image); 1,600 images, 50 steps per epoch. A resumed process decodes from the files again
     * (its cache is empty) and must build the same batches.
     */
    private String imageJob(Path work, String runner, String checkpointHook) {
        String png = Configs.mnistPng();
        return job(work, runner, checkpointHook)
                .replaceAll("train \\{ type = mnist-idx[^}]*}", "train { type = image-folder, root = \"" + png + "/train\", channels = 1,"
                        + " size = 32, crop = random, crop-size = 28, flip = 0.5, batch-size = 32, shuffle = true, limit = 1600,"
                        + " workers = 2 }")
                .replaceAll("val \\{ type = mnist-idx[^}]*}", "val { type = image-folder, root = \"" + png + "/test\", channels = 1,"
                        + " size = 32, crop = center, crop-size = 28, batch-size = 200, limit = 400 }");
    }

    private static List<String> losses(Path work) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : Configs.jsonLog(work)) {
            out.add(r.get("mode") + "@" + r.get("global_iter") + "=" + r.get("loss") + (r.containsKey("accuracy") ? "/" + r.get("accuracy") : ""));
        }
        return out;
    }

    private Path run(String name, String conf, String... extra) throws Exception {
        Path cfg = Configs.write(tmp, name + ".conf", conf);
        List<String> args = new ArrayList<>(List.of("train", cfg.toString()));
        args.addAll(List.of(extra));
        StrideCli.Result r = StrideCli.run(tmp, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.all());
        return cfg;
    }

    /** Train iterations per epoch of {@link #longEpochJob} and {@link #longImageJob}. */
    private static final int LONG_EPOCH = 1000;

    /**
     * The MLP job with long epochs: 8,000 images in batches of 8, {@link #LONG_EPOCH} iterations per
     * epoch, so that SIGTERM lands well inside one on a slow machine too.
     */
    private String longEpochJob(Path work, String runner, String checkpointHook) {
        return replaced(job(work, runner, checkpointHook), "batch-size = 32, shuffle = true, limit = 3200",
                "batch-size = 8, shuffle = true, limit = 8000");
    }

    /** {@link #imageJob} with long epochs: 8,000 images in batches of 8, {@link #LONG_EPOCH} iterations per epoch. */
    private String longImageJob(Path work, String runner, String checkpointHook) {
        return replaced(imageJob(work, runner, checkpointHook), "batch-size = 32, shuffle = true, limit = 1600",
                "batch-size = 8, shuffle = true, limit = 8000");
    }

    private static String replaced(String text, String from, String to) {
        assertTrue(text.contains(from), text);
        return text.replace(from, to);
    }

    private interface JobText {
        String of(Path work, String runner, String checkpointHook);
    }

    /**
     * Runs the job straight, then again stopped by SIGTERM at an {@code early} moment (a train
     * record in the first half of an epoch, seen while the run is stopped: see
     * {@link ProcessControl#signalWhen}), resumes it with --resume auto, and compares: the same
     * final tensors and the same logged losses, record for record.
     */
    private void sigtermThenResume(JobText job, String runner, String checkpointHook, String finalFile,
            Predicate<Map<String, Object>> early, String moment) throws Exception {
        Path straight = tmp.resolve("straight");
        run("straight", job.of(straight, runner, checkpointHook));

        Path work = tmp.resolve("stopped");
        Path cfg = Configs.write(tmp, "stopped.conf", job.of(work, runner, checkpointHook));
        Process p = StrideCli.start(tmp, Map.of(), tmp.resolve("out.txt"), tmp.resolve("err.txt"), "train", cfg.toString());
        try {
            Map<String, Object> at = ProcessControl.signalWhen("TERM", p, work, early, moment);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("err.txt")));
            String stoppedAt = Files.readString(work.resolve("last_checkpoint")).trim();
            assertTrue(stoppedAt.matches("iter_\\d+\\.safetensors"), "SIGTERM mid-epoch writes iter_N: " + stoppedAt);
            int stoppedIter = Integer.parseInt(stoppedAt.substring("iter_".length(), stoppedAt.indexOf('.')));
            assertTrue(stoppedIter >= ProcessControl.number(at, "global_iter"), "stopped after the signal at " + at + ": " + stoppedAt);
        } finally {
            p.destroyForcibly(); // when the test failed midway
        }

        StrideCli.Result resumed = StrideCli.run(tmp, "train", cfg.toString(), "--resume", "auto");
        assertEquals(0, resumed.exit(), resumed.all());
        assertTrue(resumed.out().contains("Resumed from"), resumed.out());
        assertEquals(List.of(), Tensors.differences(straight.resolve(finalFile), work.resolve(finalFile)));
        assertEquals(losses(straight), losses(work),
                "the stopped run's log followed by the resumed run's equals the straight run's log, record for record");
    }

    /** A train record in the first half of an epoch of {@code iters} iterations: SIGTERM then stops that epoch, not a later one. */
    private static Predicate<Map<String, Object>> firstHalfOfAnEpoch(int iters) {
        return r -> "train".equals(r.get("mode")) && ProcessControl.number(r, "iter") <= iters / 2;
    }

    private static final String IN_THE_FIRST_HALF = "in the first half of a train epoch";

    @Test
    void epochRunnerStoppedBySigtermMidEpochResumesExactly() throws Exception {
        sigtermThenResume(this::longEpochJob, "type = epoch, max-epochs = 3", "{ type = checkpoint, interval = 1 }",
                "epoch_3.safetensors", firstHalfOfAnEpoch(LONG_EPOCH), IN_THE_FIRST_HALF);
    }

    @Test
    void imageFolderWithRandomAugmentationStoppedBySigtermMidEpochResumesExactly() throws Exception {
        sigtermThenResume(this::longImageJob, "type = epoch, max-epochs = 2", "{ type = checkpoint, interval = 1 }",
                "epoch_2.safetensors", firstHalfOfAnEpoch(LONG_EPOCH), IN_THE_FIRST_HALF);
    }

    /**
     * kill -9 at moments spread over the run (each once the process has logged progress: a
     * checkpoint every 5 steps), resumed each time with --resume auto: the final tensors and the
     * log are those of the uninterrupted run.
     */
    @Test
    void imageFolderWithRandomAugmentationKilledMidEpochResumesExactly() throws Exception {
        String hook = "{ type = checkpoint, by-epoch = false, interval = 5, max-keep = 2 }";
        String runner = "type = epoch, max-epochs = 2";
        Path straight = tmp.resolve("straight");
        run("straight", imageJob(straight, runner, hook));

        Path work = tmp.resolve("killed");
        Path cfg = Configs.write(tmp, "killed.conf", imageJob(work, runner, hook));
        Random random = new Random(12);
        int kills = 0;
        for (int attempt = 1; ; attempt++) {
            assertTrue(attempt < 40, "too many attempts");
            int logged = logLines(work);
            Process p = StrideCli.start(tmp, Map.of(), tmp.resolve("o" + attempt), tmp.resolve("e" + attempt), "train", cfg.toString(),
                    "--resume", "auto");
            if (kills < 4) {
                // once it has logged more, at a random moment within the next steps
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (p.isAlive() && logLines(work) <= logged && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(400));
            }
            if (kills >= 4 || !p.isAlive()) {
                assertTrue(p.waitFor(5, TimeUnit.MINUTES));
                assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("e" + attempt)));
                break;
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            kills++;
        }
        assertEquals(4, kills);
        assertEquals(List.of(), Tensors.differences(straight.resolve("iter_100.safetensors"), work.resolve("iter_100.safetensors")));
    }

    private static int logLines(Path work) throws Exception {
        if (!Files.isDirectory(work)) {
            return 0;
        }
        int n = 0;
        try (var s = Files.list(work)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".log.json")).toList()) {
                n += Files.readAllLines(f).size();
            }
        }
        return n;
    }

    /** The iter runner validates after every train iteration: its newest record is often a val record. */
    @Test
    void iterRunnerStoppedBySigtermResumesExactly() throws Exception {
        sigtermThenResume(this::job, "type = iter, max-iters = 300", "{ type = checkpoint, interval = 100 }", "iter_300.safetensors",
                r -> ProcessControl.number(r, "global_iter") <= 150, "in the first half of the run's 300 iterations");
    }

    /**
     * SIGKILL at 12+ random moments, some inside checkpoint writes (a checkpoint every 5 steps, each
     * write paused 40 ms after its header): every resume starts from a complete checkpoint and the
     * final tensors equal the uninterrupted run's. If a run finishes before 12 kills, another
     * round starts in a fresh work dir.
     */
    @Test
    void killedTwelveTimesItStillEndsEqualToTheUninterruptedRun() throws Exception {
        String hook = "{ type = checkpoint, by-epoch = false, interval = 5, max-keep = 3 }";
        String runner = "type = epoch, max-epochs = 4";
        Path straight = tmp.resolve("straight");
        run("straight", job(straight, runner, hook));
        Path expected = straight.resolve("iter_400.safetensors");

        Map<String, String> env = Map.of("STRIDE_TEST_CHECKPOINT_DELAY_MS", "40");
        Random random = new Random(2026);
        int kills = 0;
        int rounds = 0;
        int attempt = 0;
        int insideWrites = 0;
        while (kills < 12) {
            rounds++;
            Path work = tmp.resolve("killed-" + rounds);
            Path cfg = Configs.write(tmp, "killed-" + rounds + ".conf", job(work, runner, hook));
            while (true) {
                attempt++;
                Path out = tmp.resolve("o" + attempt);
                Path err = tmp.resolve("e" + attempt);
                Process p = StrideCli.start(tmp, env, out, err, "train", cfg.toString(), "--resume", "auto");
                // the random moment counts from the start of training, however long the start-up took on a busy machine
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(out).contains("INFO Training ")) {
                    Thread.sleep(10);
                }
                boolean finished = p.waitFor(100 + random.nextInt(1500), TimeUnit.MILLISECONDS);
                if (Files.readString(out).contains("unfinished checkpoint file")) {
                    insideWrites++; // this start cleaned up after a kill that landed inside a write
                }
                if (finished) {
                    assertEquals(0, p.exitValue(), "a resumed run failed:\n" + Files.readString(err));
                    assertTrue(Files.readString(out).contains("Done: completed"), Files.readString(out));
                    break;
                }
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                kills++;
                assertTrue(attempt < 120, "too many attempts");
            }
            assertEquals(List.of(), Tensors.differences(expected, work.resolve("iter_400.safetensors")),
                    "round " + rounds + " after " + kills + " kills in all");
        }
        System.out.printf("ResumeIT: %d kills in %d rounds, %d of them inside a checkpoint write%n", kills, rounds, insideWrites);
        assertTrue(insideWrites >= 1, "no kill landed inside a checkpoint write; the test proves less than it claims");
    }

    /**
     * 100 iterations per epoch, as the CNN's steps are slow (and far slower on a loaded machine,
     * where longer epochs would make the test take minutes): the signal still has some 40 of them
     * to land in, where it takes a few.
     */
    @Test
    void theTorchScriptCnnStoppedBySigtermMidEpochResumesExactly() throws Exception {
        sigtermThenResume((w, r, h) -> job(w, r, h, torchScript()), "type = epoch, max-epochs = 2",
                "{ type = checkpoint, interval = 1 }", "epoch_2.safetensors", firstHalfOfAnEpoch(100), IN_THE_FIRST_HALF);
        List<String> names = List.copyOf(Tensors.read(tmp.resolve("straight/epoch_2.safetensors")).tensors().keySet());
        assertTrue(names.contains("model.bn1.running_mean") && names.contains("model.bn1.num_batches_tracked"),
                "the BatchNorm buffers are in the checkpoint: " + names);
    }

    /**
     * SIGKILL of the TorchScript CNN at random moments (a checkpoint every 5 steps), resumed with
     * --resume auto each time: the final parameters and BatchNorm statistics equal the
     * uninterrupted run's, bit for bit.
     */
    @Test
    void theTorchScriptCnnKilledMidEpochEndsEqualToTheUninterruptedRun() throws Exception {
        String hook = "{ type = checkpoint, by-epoch = false, interval = 5, max-keep = 2 }";
        String runner = "type = epoch, max-epochs = 2";
        Path straight = tmp.resolve("straight");
        run("straight", job(straight, runner, hook, torchScript()));
        Path work = tmp.resolve("killed");
        Path cfg = Configs.write(tmp, "killed.conf", job(work, runner, hook, torchScript()));
        Random random = new Random(12);
        int kills = 0;
        for (int attempt = 1; ; attempt++) {
            assertTrue(attempt < 100, "too many attempts");
            Path last = work.resolve("last_checkpoint");
            String before = Files.exists(last) ? Files.readString(last) : "";
            Process p = StrideCli.start(tmp, Map.of(), tmp.resolve("o" + attempt), tmp.resolve("e" + attempt), "train",
                    cfg.toString(), "--resume", "auto");
            if (kills < 5) {
                // once it has written a new checkpoint, kill it a random moment later: mid-epoch, mid-step or mid-write
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (p.isAlive() && System.nanoTime() < deadline
                        && (Files.exists(last) ? Files.readString(last) : "").equals(before)) {
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(400));
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor();
                    kills++;
                    continue;
                }
            }
            assertTrue(p.waitFor(10, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("e" + attempt)));
            break;
        }
        System.out.printf("ResumeIT: the TorchScript CNN killed %d times%n", kills);
        assertTrue(kills >= 3, "the run finished before it was killed 3 times; the test proves less than it claims");
        assertEquals(List.of(), Tensors.differences(straight.resolve("iter_200.safetensors"), work.resolve("iter_200.safetensors")));
        List<String> straightLog = losses(straight);
        List<String> lastRun;
        try (var files = Files.list(work)) {
            Path newest = files.filter(f -> f.toString().endsWith(".log.json")).sorted().reduce((a, b) -> b).orElseThrow();
            lastRun = new ArrayList<>();
            for (String line : Files.readAllLines(newest)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) dev.stride.runner.api.internal.Json.parse(line);
                if (!r.containsKey("mode")) {
                    continue; // the first line describes the run
                }
                lastRun.add(r.get("mode") + "@" + r.get("global_iter") + "=" + r.get("loss") + (r.containsKey("accuracy") ? "/" + r.get("accuracy") : ""));
            }
        }
        assertFalse(lastRun.isEmpty());
        assertTrue(straightLog.containsAll(lastRun), "every record the resumed run logged is the uninterrupted run's: "
                + lastRun + " vs " + straightLog);
        assertEquals(straightLog.get(straightLog.size() - 1), lastRun.get(lastRun.size() - 1), "the final val line");
    }
}
