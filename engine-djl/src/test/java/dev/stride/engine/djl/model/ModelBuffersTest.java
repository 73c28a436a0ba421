package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stride.engine.djl.DjlModel;
import dev.stride.runner.api.DataSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link DjlModel#editBuffers}: views of the float state a model keeps but does not learn
 * (BatchNorm's running statistics), in its own memory; not its parameters, frozen or not, and not
 * integer buffers.
 */
class ModelBuffersTest {
    private static final DataSpec MNIST = new DataSpec(new long[] {1, 28, 28}, 10);

    @Test
    void aSequentialModelsBatchNormStatisticsAreItsBuffersAndWritesReachThem() {
        DjlModel m = SequentialModelTest.model("[{ type = conv2d, filters = 8, kernel = 3 }, { type = batch-norm }, { type = relu },"
                + " { type = flatten }, { type = linear }]", MNIST);
        try {
            List<String> running = m.parameters().keySet().stream().filter(n -> n.toLowerCase().contains("running")).sorted().toList();
            assertEquals(2, running.size(), "running mean and variance: " + m.parameters().keySet());
            List<Integer> sizes = new ArrayList<>();
            m.editBuffers(views -> views.forEach(v -> {
                sizes.add(v.remaining());
                FloatBuffer w = v.duplicate();
                while (w.hasRemaining()) {
                    w.put(7f);
                }
            }));
            assertEquals(List.of(8, 8), sizes, "one value per channel, for the mean and the variance");
            for (String name : running) {
                float[] seen = m.parameters().get(name).toFloatArray();
                float[] sevens = new float[8];
                Arrays.fill(sevens, 7f);
                assertArrayEquals(sevens, seen, name + " holds what was written into its view");
            }
            float[] weight = m.parameters().get(m.trainableParameters().keySet().iterator().next()).toFloatArray();
            assertEquals(false, allSevens(weight), "parameters are not buffers");
        } finally {
            m.close();
        }
    }

    @Test
    void aModelWithoutBatchNormHasNone() {
        DjlModel m = SequentialModelTest.model("[{ type = flatten }, { type = linear, units = 16 }, { type = relu }, { type = linear }]", MNIST);
        try {
            List<FloatBuffer> seen = new ArrayList<>();
            m.editBuffers(seen::addAll);
            assertEquals(List.of(), seen);
        } finally {
            m.close();
        }
    }

    /** A TorchScript module with conv1 and bn1 frozen: bn1's running mean and variance only (not num_batches_tracked, an int64). */
    @Test
    void aTorchScriptModulesFloatBuffersAreItsBuffersAndFrozenParametersAreNot() {
        DjlModel m = TorchScriptModelTest.model("file = \"" + TorchScriptModelTest.DIR.resolve("mnist_cnn_script.pt")
                + "\", freeze = [\"^conv1\\\\.\", \"^bn1\\\\.\"]", MNIST);
        try {
            Map<String, ai.djl.ndarray.NDArray> p = m.parameters();
            List<float[]> expected = List.of(p.get("bn1.running_mean").toFloatArray(), p.get("bn1.running_var").toFloatArray());
            List<float[]> seen = new ArrayList<>();
            m.editBuffers(views -> views.forEach(v -> {
                float[] a = new float[v.remaining()];
                v.duplicate().get(a);
                seen.add(a);
            }));
            assertEquals(2, seen.size());
            assertArrayEquals(expected.get(0), seen.get(0));
            assertArrayEquals(expected.get(1), seen.get(1));
        } finally {
            m.close();
        }
    }

    private static boolean allSevens(float[] a) {
        for (float v : a) {
            if (v != 7f) {
                return false;
            }
        }
        return true;
    }
}
