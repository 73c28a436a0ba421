package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.DjlModel;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.spi.ProviderKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer lists become networks with PyTorch's parameter names; every mistake is named with its line. */
class SequentialModelTest {
    private static final DataSpec MNIST = new DataSpec(new long[] {1, 28, 28}, 10);

    static DjlModel model(String layers, DataSpec data) {
        SequentialProvider p = new SequentialProvider();
        return (DjlModel) p.create(ConfigFactory.parseString("layers = " + layers)
                .withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)), data, 5);
    }

    private static String fails(String layers, DataSpec data) {
        return assertThrows(BadInputException.class, () -> model(layers, data)).getMessage();
    }

    @Test
    void aCnnOfEveryLayerTypeHasTorchNamesAndTrains() {
        String layers = """
                [
                  { type = conv2d, filters = 4, kernel = 3, padding = 1 }
                  { type = batch-norm }
                  { type = relu }
                  { type = max-pool, kernel = 2 }
                  { type = conv2d, filters = 6, kernel = [3, 3], stride = 2 }
                  { type = gelu }
                  { type = avg-pool, kernel = 2, stride = 1 }
                  { type = flatten }
                  { type = layer-norm }
                  { type = dropout, p = 0.2 }
                  { type = linear, units = 16 }
                  { type = tanh }
                  { type = linear, units = 12, bias = false }
                  { type = sigmoid }
                  { type = linear }
                ]""";
        DjlModel m = model(layers, MNIST);
        assertEquals(List.of("0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "10.bias", "10.weight",
                "12.weight", "14.bias", "14.weight", "4.bias", "4.weight", "8.bias", "8.weight"), List.copyOf(m.parameters().keySet()));
        assertEquals(List.of(4L, 1L, 3L, 3L), List.of(toLongs(m.parameters().get("0.weight").getShape())));
        assertEquals(List.of(6L, 4L, 3L, 3L), List.of(toLongs(m.parameters().get("4.weight").getShape())));
        assertEquals(new Shape(150), m.parameters().get("8.weight").getShape(), "layer-norm over the whole sample");
        assertEquals(new Shape(10, 12), m.parameters().get("14.weight").getShape(), "the last linear: one unit per class");
        assertEquals(13, m.trainableParameters().size(), "running statistics are not trained");
        NDManager manager = Djl.manager().newSubManager();
        try (DjlBatch b = new DjlBatch(manager, manager.randomNormal(new Shape(8, 1, 28, 28)),
                manager.create(new long[] {0, 1, 2, 3, 4, 5, 6, 7}), 8)) {
            StepOutput out = m.trainStep(b, 2);
            assertTrue(Double.isFinite(out.get("loss")));
            assertTrue(m.valStep(b).scalars().containsKey("accuracy"));
        }
        m.close();
    }

    private static Long[] toLongs(Shape s) {
        return java.util.Arrays.stream(s.getShape()).boxed().toArray(Long[]::new);
    }

    @Test
    void aRegressionNetworkEndsWithOneUnitPerTarget() {
        DjlModel m = model("[{ type = linear, units = 8 }, { type = relu }, { type = linear }]", DataSpec.regression(new long[] {5}, 2));
        assertEquals(new Shape(2, 8), m.parameters().get("2.weight").getShape());
        NDManager manager = Djl.manager().newSubManager();
        try (DjlBatch b = new DjlBatch(manager, manager.randomNormal(new Shape(4, 5)), manager.randomNormal(new Shape(4, 2)), 4)) {
            Map<String, Double> v = m.summarize(m.valStep(b).scalars());
            assertEquals(List.of("loss", "mae", "rmse", "r2"), List.copyOf(v.keySet()));
            assertEquals(v.get("loss"), v.get("rmse") * v.get("rmse"), 1e-5, "the loss is the MSE");
        }
        m.close();
    }

    @Test
    void mistakesAreNamedWithTheLayerAndTheShapes() {
        String conv = fails("[{ type = flatten }, { type = conv2d, filters = 4, kernel = 3 }, { type = linear }]", MNIST);
        assertTrue(conv.contains("layers[1] (conv2d): takes images [N, channels, height, width], gets [N, 784]"), conv);
        String unknown = fails("[{ type = conv2d, filters = 4, kernal = 3 }]", MNIST);
        assertTrue(unknown.contains("layers[0] (conv2d): unknown option 'kernal' (did you mean 'kernel'?)"), unknown);
        assertTrue(unknown.startsWith("String: 1:") || unknown.contains(": layers[0]"), unknown);
        String type = fails("[{ type = lineer }]", MNIST);
        assertTrue(type.contains("unknown layer type 'lineer' (did you mean 'linear'?)"), type);
        String value = fails("[{ type = flatten }, { type = dropout, p = 1.5 }, { type = linear }]", MNIST);
        assertTrue(value.contains("layers[1] (dropout): p: 1.5 is outside 0.0..0.99"), value);
        String units = fails("[{ type = flatten }, { type = linear }, { type = linear }]", MNIST);
        assertTrue(units.contains("units is required (only the last linear may leave it out"), units);
        String end = fails("[{ type = flatten }, { type = linear, units = 7 }]", MNIST);
        assertTrue(end.contains("outputs [N, 7]") && end.contains("needs [N, 10] (10 classes)"), end);
        String kernel = fails("[{ type = max-pool, kernel = 40 }, { type = flatten }, { type = linear }]", MNIST);
        assertTrue(kernel.contains("layers[0] (max-pool): its kernel [40, 40] does not fit its input [N, 1, 28, 28]"), kernel);
        String none = fails("[]", MNIST);
        assertTrue(none.contains("needs its layers"), none);
    }
}
