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
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.ProviderKind;
import org.junit.jupiter.api.Test;

/** The model-zoo architectures build for the data's images and classes, train a step, and refuse images too small. */
class ZooModelTest {
    static DjlModel model(ModelProvider p, String options, long... image) {
        return (DjlModel) p.create(ConfigFactory.parseString(options).withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)),
                new DataSpec(image, 10), 3);
    }

    private static void trainsAStep(DjlModel m) {
        long[] image = m.dataSpec().sampleShape();
        NDManager manager = Djl.manager().newSubManager();
        try (DjlBatch b = new DjlBatch(manager, manager.randomNormal(new Shape(4, image[0], image[1], image[2])),
                manager.create(new long[] {0, 1, 2, 3}), 4)) {
            StepOutput out = m.trainStep(b, 1);
            assertTrue(Double.isFinite(out.get("loss")), out.toString());
            assertTrue(m.trainableParameters().values().stream().allMatch(a -> a.getGradient() != null));
            assertEquals(1.0, m.infer(b)[0].length == 10 ? 1.0 : 0.0);
        }
        m.close();
    }

    private static long size(DjlModel m) {
        return m.trainableParameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    @Test
    void eachArchitectureBuildsForTheDataAndTrains() {
        DjlModel resnet = model(new ResNetProvider(), "layers = 20", 1, 28, 28);
        assertTrue(resnet.parameters().keySet().stream().anyMatch(n -> n.endsWith("BatchNorm_runningMean")),
                "BatchNorm statistics are saved");
        System.out.printf("resnet-20 at 28x28: %d trainable values%n", size(resnet));
        trainsAStep(resnet);
        trainsAStep(model(new ResNetProvider(), "layers = 18", 3, 32, 32));
        trainsAStep(model(new MobileNetProvider(), "version = 1", 1, 28, 28));
        trainsAStep(model(new MobileNetProvider(), "", 1, 28, 28));
        trainsAStep(model(new GoogLeNetProvider(), "", 1, 28, 28));
        trainsAStep(model(new VggProvider(), "", 1, 32, 32));
        trainsAStep(model(new AlexNetProvider(), "", 1, 67, 67));
    }

    @Test
    void depthsAndImagesTheArchitectureCannotTakeAreNamed() {
        String r = assertThrows(BadInputException.class, () -> model(new ResNetProvider(), "layers = 18", 1, 28, 28)).getMessage();
        assertTrue(r.contains("layers = 18") && r.contains("20, 32, 44, 56"), r);
        String a = assertThrows(BadInputException.class, () -> model(new AlexNetProvider(), "", 1, 28, 28)).getMessage();
        assertTrue(a.contains("model alexnet needs images of at least 67x67") && a.contains("28x28"), a);
        String v = assertThrows(BadInputException.class, () -> model(new VggProvider(), "layers = 12", 3, 32, 32)).getMessage();
        assertTrue(v.contains("11, 13, 16 or 19"), v);
        String flat = assertThrows(BadInputException.class, () -> model(new GoogLeNetProvider(), "", 784)).getMessage();
        assertTrue(flat.contains("needs image samples [channels, height, width]") && flat.contains("[784]"), flat);
    }
}
