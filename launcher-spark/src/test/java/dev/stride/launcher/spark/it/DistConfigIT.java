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
