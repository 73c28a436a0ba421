package dev.stride.app.it;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares the tensors of checkpoints byte for byte. */
final class Tensors {
    private Tensors() {}

    /** Names of tensors that differ (or exist in one file only); empty when all are identical. */
    static List<String> differences(Path a, Path b) {
        Map<String, Tensor> x = CheckpointFiles.read(a).tensors();
        Map<String, Tensor> y = CheckpointFiles.read(b).tensors();
        List<String> diff = new ArrayList<>();
        for (String name : x.keySet()) {
            if (!y.containsKey(name) || !x.get(name).contentEquals(y.get(name))) {
                diff.add(name);
            }
        }
        for (String name : y.keySet()) {
            if (!x.containsKey(name)) {
                diff.add(name);
            }
        }
        return diff;
    }

    static Checkpoint read(Path p) {
        return CheckpointFiles.read(p);
    }
}
