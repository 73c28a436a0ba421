package dev.stride.app.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs engine-djl's Python scripts ({@code engine-djl/src/test/python}) with Debian's
 * {@code /usr/bin/python3} and its {@code python3-torch} and {@code python3-numpy}, which CI
 * installs ({@code .ci/run}); without them the tests fail with what to install.
 */
final class Python {
    static final Path PYTHON = Path.of(System.getProperty("stride.python", "/usr/bin/python3"));

    private Python() {}

    record Result(int exit, String output) {}

    static void requireTorch() throws Exception {
        String missing = "The PyTorch cross-checks need Debian's Python with PyTorch and NumPy: "
                + "sudo apt-get install python3-torch python3-numpy (.ci/run installs them), or point -Dstride.python at a"
                + " python3 that has both. ";
        if (!Files.isExecutable(PYTHON)) {
            throw new AssertionError(missing + PYTHON + " does not exist.");
        }
        Result r = run("-c", "import torch, numpy");
        if (r.exit() != 0) {
            throw new AssertionError(missing + PYTHON + " says: " + r.output().strip());
        }
    }

    static Path script(String name) {
        return StrideCli.repo().resolve("engine-djl/src/test/python").resolve(name);
    }

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("python", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 10 minutes");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
