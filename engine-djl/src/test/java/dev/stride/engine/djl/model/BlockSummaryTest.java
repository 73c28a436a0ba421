package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.stride.runner.api.ModelSummary;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockSummaryTest {
    @Test
    void aSequentialBlockShowsEachLayersShapeAndParameters() {
        try (NDManager m = Djl.manager().newSubManager()) {
            Linear fc = Linear.builder().setUnits(16).build();
            Linear out = Linear.builder().setUnits(3).build();
            SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock(12)).add(fc)
                    .add(Activation.reluBlock()).add(out);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4));
            Set<NDArray> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Pair<String, Parameter> p : out.getParameters()) {
                trainable.add(p.getValue().getArray());
            }
            ModelSummary s = BlockSummary.of("net", net, new Shape(8, 3, 4), new Shape(8, 3), Map.of(fc, "hidden"), trainable);
            assertEquals(List.of(-1L, 3L, 4L), s.input());
            assertEquals(List.of(-1L, 3L), s.output());
            assertEquals(4, s.layers().size());
            assertEquals(new ModelSummary.Layer("", "batchFlatten", List.of(-1L, 12L), 0), s.layers().get(0));
            assertEquals(new ModelSummary.Layer("hidden", "Linear", List.of(-1L, 16L), 12 * 16 + 16), s.layers().get(1));
            assertEquals(new ModelSummary.Layer("", "ReLU", List.of(-1L, 16L), 0), s.layers().get(2), "a lambda block by its name");
            assertEquals(new ModelSummary.Layer("", "Linear", List.of(-1L, 3L), 16 * 3 + 3), s.layers().get(3));
            assertEquals(12 * 16 + 16 + 16 * 3 + 3, s.parameters());
            assertEquals(16 * 3 + 3, s.trainable());
        }
    }

    @Test
    void aLayerThatCannotTellItsShapeEndsTheChain() {
        try (NDManager m = Djl.manager().newSubManager()) {
            boolean[] asked = {false};
            LambdaBlock opaque = new LambdaBlock(x -> x) {
                @Override
                public Shape[] getOutputShapes(Shape[] inputShapes) {
                    if (asked[0]) {
                        throw new UnsupportedOperationException("no idea");
                    }
                    return inputShapes; // DJL's initialization asks first
                }
            };
            SequentialBlock net = new SequentialBlock().add(opaque).add(Linear.builder().setUnits(2).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            asked[0] = true;
            ModelSummary s = BlockSummary.of("net", net, new Shape(1, 5), new Shape(1, 2), Map.of(), Set.of());
            assertNull(s.layers().get(0).output());
            assertNull(s.layers().get(1).output(), "unknown after an unknown");
            assertEquals(0, s.trainable());
            assertEquals(12, s.parameters());
        }
    }
}
