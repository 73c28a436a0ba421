package dev.stride.launcher.spark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in the {@code dist} section end with exit status 2 and a sentence naming the key and
 * the fix, before Spark starts; the module-path app refuses {@code dist.type = spark} the same way.
 */
class DistConfigIT {
    @TempDir
    Path dir;

    private Path config(String dist) throws Exception {
        return SparkCli.write(dir, "job.conf", """
                runner { type = iter, max-iters = 4 }
                model { type = mlp, hidden = [8] }
                data { train { type = synthetic, size = 64, shape = [1, 4, 4], batch-size = 8 } }
                optimizer { type = sgd, lr = 0.1 }
                %s
                """.formatted(dist));
    }

    @Test
    void unknownAndInvalidDistOptionsAreReportedWithTheirLine() throws Exception {
        Path c = config("dist { type = spark, workerz = 2, reduce = avg, timeout = soon }");
        SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", c.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("job.conf:5"), r.err());
        assertTrue(r.err().contains("unknown option 'workerz'") && r.err().contains("did you mean 'workers'"), r.err());
        r = SparkCli.run(dir, Map.of(), "train", config("dist { type = spark, reduce = avg, timeout = soon }").toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("dist.reduce") && r.err().contains("use mean"), r.err());
        assertTrue(r.err().contains("dist.timeout") && r.err().contains("not a duration"), r.err());
        assertTrue(!r.all().contains("Exception"), "no stack trace:\n" + r.all());
    }

    @Test
    void aDryRunChecksTheConfigWithoutStartingSpark() throws Exception {
        SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", config("dist { type = spark }").toString(), "--dry-run");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.all().contains("would train on 2 ranks"), r.all());
    }

    /**
     * Bad input only the ranks can see (here: 1 val sample split among 2 ranks gives neither a
     * batch): every rank stops before training, Spark does not retry, and the driver says why with
     * exit status 2, without a stack trace. Validating all of it on every rank trains.
     */
    @Test
    void aShardWithoutDataStopsEveryRankWithTheReasonAndStatus2() throws Exception {
        Path c = config("data.val { type = synthetic, size = 1, shape = [1, 4, 4], batch-size = 8 }\n"
                + "workflow = [[train, 2], [val, 1]]\ndist { type = spark, master = \"local[2]\" }");
        SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", c.toString(), "--work-dir", dir.resolve("w1").toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("split among 2 ranks (shards) it gives none a sample")
                && r.err().contains("No rank trained: rank(s) 0, 1 could not build the job"), r.err());
        assertTrue(!r.all().contains("Exception") && !r.all().contains("Stage attempt"), "no trace, no retry:\n" + r.all());
        r = SparkCli.run(dir, Map.of(), "train", c.toString(), "--work-dir", dir.resolve("w2").toString(),
                "--set", "dist.split-val=false");
        assertEquals(0, r.exit(), r.all());
    }

    /** Whether the ranks split data.val, and why not, is said before training; a dry run says it too. */
    @Test
    void theDriverSaysWhetherTheRanksSplitTheValData() throws Exception {
        String val = "data.val { type = synthetic, size = 30, shape = [1, 4, 4], batch-size = 8%s }\n";
        String[][] cases = {
            {"", "dist { type = spark }", "Val: each rank validates 1/2 of data.val, and the ranks add their sums"},
            {", drop-last = true", "dist { type = spark }", "Val: every rank validates all of data.val: data.val has"
                + " drop-last = true"},
            {"", "dist { type = spark, split-val = false }", "Val: every rank validates all of data.val: dist.split-val"
                + " = false"},
        };
        for (String[] c : cases) {
            SparkCli.Result r = SparkCli.run(dir, Map.of(), "train", config(val.formatted(c[0]) + c[1]).toString(), "--dry-run");
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.all().contains(c[2]), c[2] + " in:\n" + r.all());
        }
        SparkCli.Result r = SparkCli.run(dir, Map.of(), "train",
                config(val.formatted("") + "dist { type = spark, split-val = maybe }").toString(), "--dry-run");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("job.conf:6") && r.err().contains("split-val"), r.err());
    }

    @Test
    void theModulePathAppSendsSparkConfigsToTheLauncher() throws Exception {
        Path app = SparkCli.repo().resolve("app/target/stride");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", app.resolve("lib").toString(), "--class-path", app.resolve("native") + "/*",
                "--add-modules", "ai.djl.pytorch_engine,ai.djl.pytorch_jni,com.google.gson",
                "--module", "dev.stride.app/dev.stride.app.Main", "train", config("dist { type = spark }").toString()));
        SparkCli.Result r = SparkCli.exec(dir, Map.of(), cmd);
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("job.conf:5: dist.type = spark trains on Apache Spark"), r.err());
        assertTrue(r.err().contains("--set dist.type=spark"), r.err());
    }
}
