package dev.stride.app.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Config files and log files for the end-to-end tests. */
final class Configs {
    private Configs() {}

    /** The bundled MNIST data, as an absolute path usable from any working directory. */
    static String mnistRoot() {
        return StrideCli.repo().resolve("data/mnist-10k").toString();
    }

    /** The bundled MNIST PNG class folders (train/, test/), as an absolute path. */
    static String mnistPng() {
        return StrideCli.repo().resolve("data/mnist-png").toString();
    }

    /** The bundled tabular CSV files, as an absolute path. */
    static String tabular() {
        return StrideCli.repo().resolve("data/tabular").toString();
    }

    /** A small but real MNIST job: MLP, 1 epoch on the first {@code limit} train images. */
    static String mlp(Path workDir, int limit) {
        return """
                runner { type = epoch, max-epochs = 1 }
                workflow = [[train, 1], [val, 1]]
                seed = 7
                work-dir = "%s"
                model { type = mlp, hidden = [64] }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 32, shuffle = true, limit = %d }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 250, limit = 500 }
                }
                optimizer { type = sgd, lr = 0.1, momentum = 0.9 }
                hooks = [
                  { type = checkpoint, interval = 1 }
                  { type = text-logger, interval = 10 }
                  { type = json-logger, interval = 10 }
                ]
                """.formatted(workDir, mnistRoot(), limit, mnistRoot());
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    /** Every record of every {@code *.log.json} of a finished run's work dir, in file (time) order. */
    static List<Map<String, Object>> jsonLog(Path workDir) throws Exception {
        return ProcessControl.jsonLog(workDir, true);
    }
}
