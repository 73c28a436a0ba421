package dev.stride.app.hardening;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small synthetic jobs for the in-process hardening tests: 3 epochs of 10 steps, a checkpoint per epoch. */
final class Jobs {
    private Jobs() {}

    /**
     * @param data the data.train section's body, e.g. {@code type = synthetic}
     * @param hooks extra hook entries after the checkpoint hook
     */
    static String job(Path work, String data, String hooks) {
        return """
                runner { type = epoch, max-epochs = 3 }
                workflow = [[train, 1]]
                seed = 5
                work-dir = "%s"
                model { type = mlp, hidden = [8] }
                data {
                  train { %s, size = 160, shape = [4], num-classes = 3, batch-size = 16, shuffle = true }
                }
                optimizer { type = sgd, lr = 0.1, momentum = 0.9 }
                hooks = [
                  { type = checkpoint, interval = 1 }
                  %s
                ]
                """.formatted(work, data, hooks);
    }

    /**
     * A synthetic job for the CLI tests of issue 15: {@code epochs} epochs of 10 steps (160 samples
     * of shape [4], batches of 16), val on 32 samples, seed 5, with exactly the {@code hooks} given.
     */
    static String synthetic(Path work, int epochs, String hooks) {
        return """
                runner { type = epoch, max-epochs = %d }
                workflow = [[train, 1]]
                seed = 5
                work-dir = "%s"
                model { type = mlp, hidden = [8] }
                data {
                  train { type = synthetic, size = 160, shape = [4], num-classes = 3, batch-size = 16, shuffle = true }
                  val { type = synthetic, size = 32, shape = [4], num-classes = 3, batch-size = 16 }
                }
                optimizer { type = sgd, lr = 0.1, momentum = 0.9 }
                hooks = [
                  %s
                ]
                """.formatted(epochs, work, hooks);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
