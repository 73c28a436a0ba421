package dev.stride.engine.djl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs this module's Python scripts ({@code src/test/python}) with Debian's {@code /usr/bin/python3}
 * and its {@code python3-torch} and {@code python3-numpy}, which CI installs ({@code .ci/run}): a
 * machine without them fails the cross-checks, with what to install, rather than skipping them.
 */
public final class Python {
    public static final Path PYTHON = Path.of(System.getProperty("stride.python", "/usr/bin/python3"));

    private Python() {}

    /** Fails with what to install unless PYTHON imports torch and numpy. */
    public static void requireTorch() throws IOException, InterruptedException {
        String missing = "The PyTorch cross-checks need Debian's Python with PyTorch and NumPy: "
                + "sudo apt-get install python3-torch python3-numpy (.ci/run installs them), or point -Dstride.python at a"
                + " python3 that has both. ";
        if (!Files.isExecutable(PYTHON)) {
            throw new AssertionError(missing + PYTHON + " does not exist.");
        }
        Result r = run(List.of("-c", "import torch, numpy; print(torch.__version__)"), Path.of("."));
        if (r.exit() != 0) {
            throw new AssertionError(missing + PYTHON + " says: " + r.output().strip());
        }
    }

    public record Result(int exit, String output) {}

    /** Runs {@code python args...} in {@code dir} (at most 10 minutes), output and errors together. */
    public static Result run(List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString()));
        cmd.addAll(args);
        Path log = Files.createTempFile("python", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 10 minutes");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A script of src/test/python. */
    public static Path script(String name) {
        return Path.of("src/test/python").resolve(name).toAbsolutePath();
    }
}
