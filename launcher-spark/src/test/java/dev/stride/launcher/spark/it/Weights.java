package dev.stride.launcher.spark.it;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The model parameters of a checkpoint, and how far two sets of them are apart. */
final class Weights {
    private final Map<String, float[]> params = new TreeMap<>();

    private Weights() {}

    static Weights of(Path checkpoint) {
        Weights w = new Weights();
        Checkpoint ck = CheckpointFiles.read(checkpoint);
        for (Map.Entry<String, Tensor> e : ck.tensors().entrySet()) {
            if (e.getKey().startsWith("model.")) {
                w.params.put(e.getKey(), e.getValue().toFloats());
            }
        }
        return w;
    }

    /** The largest magnitude of any parameter. */
    double maxAbs() {
        double m = 0;
        for (float[] a : params.values()) {
            for (float v : a) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** The largest difference of any parameter; infinite when the names or sizes differ. */
    double maxDiff(Weights other) {
        if (!params.keySet().equals(other.params.keySet())) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (Map.Entry<String, float[]> e : params.entrySet()) {
            float[] a = e.getValue();
            float[] b = other.params.get(e.getKey());
            if (a.length != b.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < a.length; i++) {
                m = Math.max(m, Math.abs(a[i] - b[i]));
            }
        }
        return m;
    }

    /** One tensor's values, or null. */
    float[] get(String name) {
        return params.get(name);
    }

    int count() {
        return params.values().stream().mapToInt(a -> a.length).sum();
    }
}
