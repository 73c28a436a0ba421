package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Runner;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guides/embedding.md's example in this JVM (on the class path): the example plugins, built from
 * their sources, are loaded with a child class loader, their defaults come from their own
 * reference.conf, and a run with the plugin runner and the plugin hook ends where it should.
 */
class EmbeddingIT {
    @TempDir
    Path tmp;

    @Test
    void plainJavaTrainsWithThePluginRunnerAndHook() throws Exception {
        URL[] jars = {ExamplePlugins.build(ExamplePlugins.HOOK, tmp.resolve("build")).toUri().toURL(),
                ExamplePlugins.build(ExamplePlugins.RUNNER, tmp.resolve("build")).toUri().toURL()};
        Path work = Files.createDirectories(tmp.resolve("work"));
        Runner runner = EmbeddingWithPlugins.train(jars, work);
        runner.model().close();
        assertEquals("curriculum", runner.name());
        assertEquals(3, runner.epoch());
        assertEquals(2 + 4 + 8, runner.iter(), "the default stages of the plugin's reference.conf: 1/4, 1/2, then all of 8");
        List<String> csv = Files.readAllLines(work.resolve("metrics.csv"));
        assertEquals("epoch,iter,accuracy,loss", csv.get(0));
        assertEquals(4, csv.size(), csv.toString());
        assertTrue(csv.get(3).startsWith("3,14,"), csv.toString());
    }
}
