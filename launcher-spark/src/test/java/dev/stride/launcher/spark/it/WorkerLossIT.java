package dev.stride.launcher.spark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rank's executor JVM dies in the middle of a run on a local cluster (two executor JVMs):
 * the other rank stops waiting at once, Spark retries the stage, both ranks resume from the last
 * checkpoint, and the final weights are bit for bit those of an uninterrupted run.
 */
class WorkerLossIT {
    private static final Pattern RANK_1_LOST = Pattern.compile("rank 1 failed \\(task attempt 0, stage attempt 0\\):"
            + " ExecutorLostFailure \\(executor \\d+ exited [^)]*\\) Reason: (Command exited with code 137|Remote RPC client disassociated)");

    @TempDir
    Path dir;

    @Test
    void aKilledRankIsRetriedAndTheRunEndsAsIfUninterrupted() throws Exception {
        killRank1AndCompare("{ type = mlp, hidden = [32] }");
    }

    /**
     * The same with BatchNorm, whose running statistics every rank takes from rank 0 after each
     * iteration: the recovered run's tensors, statistics included, equal the uninterrupted run's.
     */
    @Test
    void aKilledRankOfABatchNormModelIsRetriedAndTheRunEndsAsIfUninterrupted() throws Exception {
        killRank1AndCompare("{ type = sequential, layers = [{ type = conv2d, filters = 4, kernel = 3 }, { type = batch-norm },"
                + " { type = relu }, { type = max-pool, kernel = 2 }, { type = flatten }, { type = linear }] }");
    }

    private void killRank1AndCompare(String model) throws Exception {
        Path config = SparkCli.write(dir, "job.conf", """
                runner { type = iter, max-iters = 24 }
                workflow = [[train, 1]]
                seed = 3
                work-dir = "unused"
                model %s
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 32, shuffle = true, limit = 1024 }
                }
                optimizer { type = adam, lr = 0.002 }
                dist { type = spark, workers = 2, master = "local-cluster[2,1,1024]", timeout = 60s }
                hooks = [
                  { type = checkpoint, interval = 8, by-epoch = false }
                  { type = json-logger, interval = 4 }
                ]
                """.formatted(model, SparkCli.mnistRoot()));
        Path straight = dir.resolve("straight");
        SparkCli.Result a = SparkCli.run(dir, Map.of(), "train", config.toString(), "--work-dir", straight.toString());
        assertEquals(0, a.exit(), a.all());

        Path killed = dir.resolve("killed");
        SparkCli.Result b = SparkCli.run(dir, Map.of("STRIDE_TEST_FAULT", "rank=1,iter=13,action=halt"), "train",
                config.toString(), "--work-dir", killed.toString());
        b.all().lines().filter(l -> l.contains("failed") || l.contains("allreduces of") || l.contains("Done:"))
                .forEach(System.out::println);
        assertEquals(0, b.exit(), b.all());
        assertTrue(b.all().contains("rank 1 failed"), "the lost rank is reported:\n" + b.all());
        // Spark names the lost executor's exit code when the worker's report of it comes first, and the dropped
        // connection when the driver notices that first: either way rank 1's executor JVM was lost
        assertTrue(RANK_1_LOST.matcher(b.all()).find(), "rank 1's JVM was halted and its executor lost:\n" + b.all());
        assertTrue(b.all().contains("attempt 2): COMPLETED"), "the run finished in the second stage attempt:\n" + b.all());
        assertTrue(b.all().contains("resumed from " + killed.resolve("iter_8.safetensors")),
                "both ranks resumed from the last checkpoint before the kill:\n" + b.all());

        Weights expected = Weights.of(straight.resolve("iter_24.safetensors"));
        Weights actual = Weights.of(killed.resolve("iter_24.safetensors"));
        assertEquals(0.0, actual.maxDiff(expected), "the recovered run's weights differ from the uninterrupted run's");
        assertTrue(Files.readString(straight.resolve("last_checkpoint")).contains("iter_24"));
        System.out.printf("uninterrupted run %.1f s, run with a killed rank %.1f s%n", a.seconds(), b.seconds());
    }
}
