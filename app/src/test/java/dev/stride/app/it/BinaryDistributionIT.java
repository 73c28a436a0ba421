package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary distribution {@code stride-<version>.tar.gz} trains on a machine with only Java: it
 * is unpacked into a temporary folder (away from the checkout), and its launcher runs with a PATH
 * that holds no Maven and no java, Java given by JAVA_HOME only.
 */
class BinaryDistributionIT {
    @TempDir
    Path tmp;

    private static Path tarball() throws IOException {
        Path target = StrideCli.dist().getParent();
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("stride-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no stride-<version>.tar.gz in " + target + ": mvn package builds it"));
        }
    }

    /** A PATH of only the tools the launcher itself uses (no java, no mvn). */
    private Path bareTools() throws IOException {
        Path bin = tmp.resolve("tools");
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        for (String tool : List.of("dirname", "awk", "bash")) {
            Path real = Stream.of("/usr/bin/" + tool, "/bin/" + tool).map(Path::of).filter(Files::isExecutable).findFirst()
                    .orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        return bin;
    }

    private Path unpack() throws Exception {
        Path into = Files.createDirectories(tmp.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "xzf", tarball().toString(), "-C", into.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        try (Stream<Path> s = Files.list(into)) {
            return s.findFirst().orElseThrow();
        }
    }

    private record Run(int exit, String out) {}

    private Run run(Path home, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/stride").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path log = tmp.resolve("run.log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/stride " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void theTarballTrainsWithOnlyJava() throws Exception {
        Path home = unpack();
        assertTrue(home.getFileName().toString().startsWith("stride-"), home.toString());
        for (String part : List.of("bin/stride", "lib", "native", "plugins", "examples/mnist/mlp_epoch.conf",
                "data/mnist-10k/train-images-idx3-ubyte.gz", "README.md", "LICENSE")) {
            assertTrue(Files.exists(home.resolve(part)), "the distribution lacks " + part);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/stride")), "bin/stride is executable");
        Map<String, String> env = Map.of("PATH", bareTools().toString(), "JAVA_HOME", System.getProperty("java.home"),
                "HOME", tmp.toString());
        Run run = run(home, env, "train", "examples/mnist/mlp_epoch.conf", "--set", "runner.max-epochs=1",
                "--work-dir", tmp.resolve("work").toString());
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("Done: completed (epoch 1, iter 125)"), run.out());
        assertTrue(Files.exists(tmp.resolve("work/epoch_1.safetensors")), run.out());
        assertFalse(run.out().contains("WARNING"), run.out());
    }

    @Test
    void withoutJavaTheLauncherSaysWhatToInstall() throws Exception {
        Path home = unpack();
        Path tools = bareTools();
        Run run = run(home, Map.of("PATH", tools.toString(), "HOME", tmp.toString()), "list");
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("Stride needs Java 17 or newer, and none was found"), run.out());
        assertTrue(run.out().contains("apt-get install openjdk-17-jre-headless"), run.out());

        Run wrongHome = run(home, Map.of("PATH", tools.toString(), "JAVA_HOME", tmp.resolve("no-java").toString()), "list");
        assertEquals(1, wrongHome.exit(), wrongHome.out());
        assertTrue(wrongHome.out().contains("has no bin/java"), wrongHome.out());
    }
}
