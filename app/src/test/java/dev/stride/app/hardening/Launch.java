package dev.stride.app.hardening;

import dev.stride.app.it.StrideCli;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the CLI of the distribution with extra JVM options (e.g. a small heap), given as the launcher takes them: STRIDE_JAVA_OPTS. */
final class Launch {
    private Launch() {}

    static StrideCli.Result run(Path cwd, List<String> jvmOptions, String... args) throws Exception {
        Path out = cwd.resolve("launch-out.txt");
        Path err = cwd.resolve("launch-err.txt");
        Process p = StrideCli.start(cwd, Map.of("STRIDE_JAVA_OPTS", String.join(" ", jvmOptions)), out, err, args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("stride " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new StrideCli.Result(p.exitValue(), Processes.read(out), Processes.read(err));
    }
}
