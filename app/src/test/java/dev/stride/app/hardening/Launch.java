package dev.stride.app.hardening;

import dev.stride.app.it.StrideCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the CLI of the distribution with extra JVM options (e.g. a small heap) before the module path. */
final class Launch {
    private Launch() {}

    static StrideCli.Result run(Path cwd, List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(StrideCli.command(args));
        cmd.addAll(1, jvmOptions);
        Path out = cwd.resolve("launch-out.txt");
        Path err = cwd.resolve("launch-err.txt");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("stride " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new StrideCli.Result(p.exitValue(), Processes.read(out), Processes.read(err));
    }
}
