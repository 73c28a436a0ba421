package dev.stride.docs;

import dev.stride.runner.api.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A tiny training job for the example plugins, and the files it leaves in its work dir. */
final class Jobs {
    private Jobs() {}

    /**
     * The curriculum runner over 3 epochs of 8 synthetic train batches, with stages 0.25 until
     * epoch 1 and 0.5 until epoch 2 (2, 4, then 8 batches: iter 2, 6, 14 after each epoch), a val
     * epoch after each train epoch, the csv-metrics hook, a JSON log line per iteration and a
     * checkpoint every 5 iterations.
     *
     * @param extra more config lines, e.g. the hook's options or a plugins folder
     */
    static Path curriculum(Path dir, Path workDir, String csvHook, String extra) throws IOException {
        String text = """
                runner {
                  type = curriculum
                  max-epochs = 3
                  stages = [{ until-epoch = 1, fraction = 0.25 }, { until-epoch = 2, fraction = 0.5 }]
                }
                workflow = [[train, 1], [val, 1]]
                seed = 3
                work-dir = "%s"
                model { type = mlp, hidden = [16] }
                data {
                  train { type = synthetic, size = 64, shape = [1, 4, 4], num-classes = 3, seed = 1, batch-size = 8, shuffle = true }
                  val { type = synthetic, size = 32, shape = [1, 4, 4], num-classes = 3, seed = 2, batch-size = 16 }
                }
                optimizer { type = sgd, lr = 0.1, momentum = 0.9 }
                hooks = [
                  %s
                  { type = json-logger, interval = 1 }
                  { type = checkpoint, interval = 5, by-epoch = false }
                ]
                %s
                """.formatted(workDir, csvHook, extra);
        Path file = dir.resolve("curriculum.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The gated-mlp model plugin on 512 MNIST images (8 batches per epoch) for 2 epochs, a val
     * epoch of 500 test images after each, a JSON log line per iteration and a checkpoint every 3
     * iterations.
     */
    static Path gatedMlp(Path dir, Path workDir, String extra) throws IOException {
        String root = Distribution.repo().resolve("data/mnist-10k").toString();
        String text = """
                runner { type = epoch, max-epochs = 2 }
                workflow = [[train, 1], [val, 1]]
                seed = 5
                work-dir = "%s"
                model { type = gated-mlp, hidden = 32 }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 64, shuffle = true, limit = 512 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 250, limit = 500 }
                }
                optimizer { type = adam, lr = 0.005 }
                hooks = [
                  { type = json-logger, interval = 1 }
                  { type = checkpoint, interval = 3, by-epoch = false }
                ]
                %s
                """.formatted(workDir, root, root, extra);
        Path file = dir.resolve("gated-mlp.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Every record of every {@code *.log.json} of a work dir, in file order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonLog(Path workDir) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(workDir)) {
            files = s.filter(p -> p.toString().endsWith(".log.json")).sorted().toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                Map<String, Object> record = (Map<String, Object>) Json.parse(line);
                if (record.containsKey("mode")) { // the first line describes the run
                    out.add(record);
                }
            }
        }
        return out;
    }
}
