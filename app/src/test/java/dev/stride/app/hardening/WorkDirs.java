package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Checks on what a run left in its work dir. */
final class WorkDirs {
    private WorkDirs() {}

    /** Every {@code *.safetensors} file of the folder, by name. */
    static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    /**
     * Every checkpoint file verifies and {@code last_checkpoint} names one of them; returns that one.
     * (A temp file of a write cut short may remain: it is not a checkpoint, and the next start removes it.)
     */
    static Path assertIntact(Path dir) throws IOException {
        List<Path> all = checkpoints(dir);
        assertTrue(!all.isEmpty(), "no checkpoint in " + dir);
        for (Path p : all) {
            CheckpointFiles.read(p); // throws CorruptCheckpointException when damaged
        }
        Path latest = CheckpointFiles.latest(dir).orElseThrow(() -> new AssertionError("no last_checkpoint in " + dir));
        assertTrue(all.contains(latest), "last_checkpoint names " + latest + ", not one of " + all);
        return latest;
    }

    /** Names of the tensors that differ between two checkpoints; empty when they are identical. */
    static List<String> differences(Path a, Path b) {
        Map<String, Tensor> x = CheckpointFiles.read(a).tensors();
        Map<String, Tensor> y = CheckpointFiles.read(b).tensors();
        List<String> diff = new ArrayList<>();
        x.forEach((name, t) -> {
            if (!y.containsKey(name) || !t.contentEquals(y.get(name))) {
                diff.add(name);
            }
        });
        y.keySet().stream().filter(n -> !x.containsKey(n)).forEach(diff::add);
        assertFalse(x.isEmpty(), "no tensors in " + a);
        return diff;
    }
}
