package dev.stride.app.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real distribution with its own launcher, {@code bin/stride} (a new JVM on the module
 * path, only DJL's native jar on the class path), as {@code ./stride} does once it is built; with
 * the java running the tests ({@code JAVA_HOME}).
 */
public final class StrideCli {
    /** The distribution built by {@code mvn package}: lib/, native/, plugins/. */
    public static Path dist() {
        String d = System.getProperty("stride.dist");
        return Path.of(d != null ? d : "target/stride").toAbsolutePath();
    }

    /** The repository root (for data and examples). */
    public static Path repo() {
        String r = System.getProperty("stride.repo");
        return Path.of(r != null ? r : "..").toAbsolutePath().normalize();
    }

    /** A finished process: exit status and both outputs. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", dist().resolve("bin/stride").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the CLI in {@code cwd} with extra environment variables. */
    public static Process start(Path cwd, Map<String, String> env, Path out, Path err, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(cwd.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return pb.start();
    }

    /** Runs the CLI to the end (at most 5 minutes). */
    public static Result run(Path cwd, String... args) throws IOException, InterruptedException {
        return run(cwd, Map.of(), args);
    }

    public static Result run(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("stride-out", ".txt");
        Path err = Files.createTempFile("stride-err", ".txt");
        try {
            Process p = start(cwd, env, out, err, args);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("stride " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private StrideCli() {}
}
