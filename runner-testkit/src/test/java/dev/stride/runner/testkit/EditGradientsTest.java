package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Optimizer.editGradients's default: views of every gradient in name order, and what is written there becomes the gradients. */
class EditGradientsTest {
    @Test
    void theDefaultHandsOutEveryGradientInNameOrderAndTakesBackTheEdits() {
        FakeModel model = new FakeModel();
        FakeOptimizer optimizer = new FakeOptimizer(model);
        Map<String, float[]> before = new TreeMap<>();
        int k = 1;
        for (Map.Entry<String, float[]> e : model.grads().entrySet()) {
            float[] g = e.getValue();
            for (int i = 0; i < g.length; i++) {
                g[i] = k++;
            }
            before.put(e.getKey(), g.clone());
        }
        List<float[]> seen = new ArrayList<>();
        optimizer.editGradients(views -> {
            for (FloatBuffer v : views) {
                float[] copy = new float[v.remaining()];
                v.duplicate().get(copy);
                seen.add(copy);
                for (int i = v.position(); i < v.limit(); i++) {
                    v.put(i, v.get(i) * 2);
                }
            }
        });
        assertEquals(before.size(), seen.size(), "one view per gradient");
        int i = 0;
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            assertArrayEquals(e.getValue(), seen.get(i++), "views in name order: " + e.getKey());
            float[] doubled = e.getValue().clone();
            for (int j = 0; j < doubled.length; j++) {
                doubled[j] *= 2;
            }
            assertArrayEquals(doubled, model.grads().get(e.getKey()), "the edit reached " + e.getKey());
        }
    }
}
