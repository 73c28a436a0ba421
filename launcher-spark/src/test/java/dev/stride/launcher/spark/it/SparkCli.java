package dev.stride.launcher.spark.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs launcher-spark's class-path launcher in a new JVM exactly as {@code ./stride} does for
 * {@code dist.type=spark} and {@code sweep}: {@code java @java-options -cp dist/lib/* dev.stride.launcher.spark.Main}.
 */
final class SparkCli {
    private SparkCli() {}

    /** launcher-spark's distribution: lib/ and java-options. */
    static Path dist() {
        String d = System.getProperty("stride.spark.dist");
        return Path.of(d != null ? d : "target/dist").toAbsolutePath();
    }

    /** The repository root. */
    static Path repo() {
        String r = System.getProperty("stride.repo");
        return Path.of(r != null ? r : "..").toAbsolutePath().normalize();
    }

    static String mnistRoot() {
        return repo().resolve("data/mnist-10k").toString();
    }

    /** A finished process: exit status and both outputs, and how long it took. */
    record Result(int exit, String out, String err, double seconds) {
        String all() {
            return out + err;
        }
    }

    static Result run(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + dist().resolve("java-options"), "-XX:TieredStopAtLevel=1", "-cp", dist().resolve("lib") + "/*",
                "dev.stride.launcher.spark.Main"));
        cmd.addAll(List.of(args));
        return exec(cwd, env, cmd);
    }

    static Result exec(Path cwd, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("stride-spark-out", ".txt");
        Path err = Files.createTempFile("stride-spark-err", ".txt");
        long start = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
            pb.environment().putAll(env);
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            // generous: a loaded CI machine runs Spark's JVMs far slower; the limit only stops a hung run
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 10 minutes; output:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1e9);
            System.out.printf("[%.1f s] stride %s -> exit %d%n", r.seconds(), String.join(" ", args(cmd)), r.exit());
            return r;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> args(List<String> cmd) {
        int main = cmd.indexOf("dev.stride.launcher.spark.Main");
        return main < 0 ? cmd : cmd.subList(main + 1, cmd.size());
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
