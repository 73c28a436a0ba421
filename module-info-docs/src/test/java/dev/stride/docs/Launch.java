package dev.stride.docs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How the command line is started: the ways a user can launch Stride, each in a real JVM. */
enum Launch {
    /** As {@code ./stride} does: the module path, DJL's native jar on the class path. */
    MODULE_PATH {
        @Override
        List<String> javaOptions(Path home) {
            return List.of("--module-path", home.resolve("lib").toString(),
                    "--class-path", home.resolve("native") + File.separator + "*",
                    "--add-modules", "ai.djl.pytorch_engine,ai.djl.pytorch_jni,com.google.gson",
                    "--module", "dev.stride.app/dev.stride.app.Main");
        }
    },
    /** Everything on the class path, the plugins folder included. */
    CLASS_PATH {
        @Override
        List<String> javaOptions(Path home) {
            return List.of("-cp", classPath(home, "lib", "native", "plugins"), "dev.stride.app.Main");
        }
    },
    /** The class path without the plugins: Stride loads them itself, with a child class loader. */
    CLASS_PATH_PLUGINS_LOADED_BY_STRIDE {
        @Override
        List<String> javaOptions(Path home) {
            return List.of("-cp", classPath(home, "lib", "native"), "dev.stride.app.Main");
        }
    };

    /** A finished process: exit status and both outputs. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    abstract List<String> javaOptions(Path home);

    /** Runs {@code stride ARGS} of the distribution {@code home} in {@code cwd}, to the end. */
    Result run(Path home, Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dstride.home=" + home);
        cmd.addAll(javaOptions(home));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("stride-stdout", ".txt");
        Path err = Files.createTempFile("stride-stderr", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 3 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String classPath(Path home, String... folders) {
        List<String> parts = new ArrayList<>();
        for (String f : folders) {
            parts.add(home.resolve(f) + File.separator + "*");
        }
        return String.join(File.pathSeparator, parts);
    }
}
