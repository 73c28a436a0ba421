package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.DjlModel;
import dev.stride.runner.api.DataSpec;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Convolutions with a number of output channels oneDNN pads get their input gradients from
 * libtorch's own kernels: right (against float64), and the same at 1 and 2 threads.
 */
class ConvolutionGradientsTest {
    private static final DataSpec MNIST = new DataSpec(new long[] {1, 28, 28}, 10);

    @Test
    void aConvolutionAfterTheFirstWithPaddedOutputChannelsNeedsIt() {
        try (NDManager m = Djl.manager().newSubManager()) {
            Function<long[][], List<NDArray>> params = shapes -> java.util.Arrays.stream(shapes).map(s -> m.zeros(new Shape(s))).toList();
            assertFalse(ConvolutionGradients.needed(params.apply(new long[][] {{6, 1, 5, 5}, {6}, {16, 6, 5, 5}, {16}, {120, 400}})),
                    "LeNet: the first convolution's input gradient is not computed, the second has 16 channels");
            assertTrue(ConvolutionGradients.needed(params.apply(new long[][] {{16, 1, 3, 3}, {16}, {4, 16, 3, 3}, {10, 64}})));
            assertTrue(ConvolutionGradients.needed(params.apply(new long[][] {{32, 3, 3, 3}, {24, 32, 3, 3}})));
            assertFalse(ConvolutionGradients.needed(params.apply(new long[][] {{32, 3, 3, 3}, {24, 32, 1, 1}})), "1 x 1: right");
            assertFalse(ConvolutionGradients.needed(params.apply(new long[][] {{32, 3, 3, 3}, {24, 1, 3, 3}})), "depthwise: right");
            assertFalse(ConvolutionGradients.needed(params.apply(new long[][] {{4, 1, 3, 3}, {32, 4, 3, 3}, {48, 32, 3, 3}})));
            assertFalse(ConvolutionGradients.needed(params.apply(new long[][] {{10, 784}, {10, 7}, {10}})), "no convolutions");
            assertTrue(ConvolutionGradients.needed(params.apply(new long[][] {{16, 4, 3}, {8, 16, 3}})), "1-d");
            assertTrue(ConvolutionGradients.needed(params.apply(new long[][] {{16, 4, 3, 3, 3}, {8, 16, 3, 3, 3}})), "3-d");
            assertFalse(ConvolutionGradients.needed(params.apply(new long[][] {{8, 4, 3}, {32, 8, 3}})), "1-d, 32 channels after the first");
        }
    }

    @Test
    void libtorchsSwitchIsFoundInTheLibtorchDjlLoads() {
        assertTrue(ConvolutionGradients.available(), "at::globalContext() and its oneDNN and NNPACK switches");
        assertTrue(ConvolutionGradients.oneDnnOn(), "on by default");
    }

    /** Two convolutions (16 then 4 output channels) and the first one's weight gradient, in float32 the exact way and in float64. */
    @Test
    void theGradientsThroughAConvolutionWithFourChannelsAreRight() {
        try (NDManager m = Djl.manager().newSubManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(16, 3, 14, 14));
            NDArray w1 = m.randomNormal(new Shape(16, 3, 3, 3)).mul(0.3);
            NDArray w2 = m.randomNormal(new Shape(4, 16, 3, 3)).mul(0.3);
            NDArray g = m.randomNormal(new Shape(16, 4, 14, 14));
            float[] expected = weightGradient(x, w1, w2, g, DataType.FLOAT64, true); // float64: libtorch's own kernels either way
            for (int threads : new int[] {1, 2}) {
                Djl.useThreads(threads);
                for (int run = 0; run < 3; run++) {
                    float[] got = weightGradient(x, w1, w2, g, DataType.FLOAT32, true);
                    assertTrue(ConvolutionGradients.oneDnnOn(), "oneDNN is on again after the backward pass");
                    assertEquals(0, maxRelativeError(expected, got), 1e-5, threads + " threads, run " + run);
                }
            }
            Djl.useThreads(1);
        }
    }

    private static float[] weightGradient(NDArray x0, NDArray w10, NDArray w20, NDArray g0, DataType type, boolean exact) {
        NDManager m = x0.getManager();
        NDArray x = m.create(x0.toFloatArray(), x0.getShape()).toType(type, false);
        NDArray w1 = m.create(w10.toFloatArray(), w10.getShape()).toType(type, false);
        NDArray w2 = m.create(w20.toFloatArray(), w20.getShape()).toType(type, false);
        NDArray g = m.create(g0.toFloatArray(), g0.getShape()).toType(type, false);
        w1.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            Shape one = new Shape(1, 1);
            NDArray h = Conv2d.conv2d(x, w1, null, one, one, one, 1).singletonOrThrow().getNDArrayInternal().relu();
            NDArray y = Conv2d.conv2d(h, w2, null, one, one, one, 1).singletonOrThrow();
            NDArray loss = y.mul(g).sum();
            if (exact) {
                ConvolutionGradients.withoutOneDnn(() -> {
                    gc.backward(loss);
                    return null;
                });
            } else {
                gc.backward(loss);
            }
            return w1.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static double maxRelativeError(float[] expected, float[] got) {
        double scale = 0;
        double error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(expected[i] - got[i]));
        }
        return error / scale;
    }

    /**
     * A network with a 4-channel convolution after the first takes the exact way, and its first
     * layer's gradient for the same batch is the same at every try (oneDNN's varied from run to run
     * at 2 threads, the count such models get on 2 cores).
     */
    @Test
    void aModelWithSuchAConvolutionStepsTheSameAtAnyThreadCount() {
        String layers = "[{ type = conv2d, filters = 16, kernel = 3, padding = 1 }, { type = relu }, { type = conv2d, filters = 4, kernel = 3,"
                + " padding = 1 }, { type = relu }, { type = flatten }, { type = linear }]";
        float[] first = null;
        for (int run = 0; run < 4; run++) {
            DjlModel model = SequentialModelTest.model(layers, MNIST);
            try (NDManager m = Djl.manager().newSubManager()) {
                assertTrue(ConvolutionGradients.needed(model.block().getParameters().values().stream().map(p -> p.getArray()).toList()));
                m.getEngine().setRandomSeed(5);
                try (DjlBatch b = new DjlBatch(m.newSubManager(), m.randomNormal(new Shape(16, 1, 28, 28)),
                        m.randomInteger(0, 10, new Shape(16), DataType.INT64), 16)) {
                    model.trainStep(b, 1);
                }
                float[] g = model.trainableParameters().get("0.weight").getGradient().toFloatArray();
                if (first == null) {
                    first = g;
                } else {
                    assertArrayEquals(first, g, "run " + run);
                }
            } finally {
                model.close();
            }
        }
        assertTrue(ConvolutionGradients.oneDnnOn());
    }
}
