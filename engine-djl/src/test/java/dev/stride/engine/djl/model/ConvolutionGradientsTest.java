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
    /** A CNN whose second convolution has 4 output channels: one that needs the check. */
    private static final String FOUR_CHANNELS_AFTER_THE_FIRST = "[{ type = conv2d, filters = 16, kernel = 3, padding = 1 }, { type = relu },"
            + " { type = conv2d, filters = 4, kernel = 3, padding = 1 }, { type = relu }, { type = flatten }, { type = linear }]";

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
            NDArray h = ConvolutionGradients.sameConvolution(x, w1).getNDArrayInternal().relu();
            NDArray y = ConvolutionGradients.sameConvolution(h, w2);
            NDArray loss = y.mul(g).sum();
            ConvolutionGradients.backward(gc, loss, exact);
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
        float[] first = null;
        for (int run = 0; run < 4; run++) {
            DjlModel model = SequentialModelTest.model(FOUR_CHANNELS_AFTER_THE_FIRST, MNIST);
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

    @Test
    void agreeingMeansWithinATenThousandthOfTheLargestAndNoNaN() {
        float[] reference = {1f, -2f, 0.5f, 4f};
        assertTrue(ConvolutionGradients.agree(reference, reference.clone()));
        assertTrue(ConvolutionGradients.agree(reference, new float[] {1.0002f, -2f, 0.5f, 4f}), "2e-4 of 4: 5e-5 relative");
        assertFalse(ConvolutionGradients.agree(reference, new float[] {1.001f, -2f, 0.5f, 4f}), "1e-3 of 4: 2.5e-4 relative");
        assertFalse(ConvolutionGradients.agree(reference, new float[] {1f, Float.NaN, 0.5f, 4f}), "NaN");
        assertFalse(ConvolutionGradients.agree(reference, new float[] {1.3f, -1.2f, 0.1f, 2f}), "the fault's size");
    }

    /**
     * The check at a model's first train step says what a comparison with float64 at 1 thread
     * (where the fault was deterministic) says for the model's kernel or the known failing ones:
     * on a CPU with the fault both say wrong, on one without it both say right.
     */
    @Test
    void theCheckOfOneDnnSaysWhatFloat64Says() {
        try (NDManager m = Djl.manager().newSubManager()) {
            m.getEngine().setRandomSeed(7);
            boolean knownFaultWrong = ConvolutionGradients.KNOWN_FAULTS.stream().anyMatch(k -> oneDnnWrongAgainstFloat64(m, k, 16));
            for (long[] kernel : new long[][] {{4, 16, 3, 3}, {8, 16, 3, 3}, {24, 16, 5, 5}, {8, 16, 3}, {8, 16, 3, 3, 3}}) {
                Shape k = new Shape(kernel);
                boolean expected = knownFaultWrong || oneDnnWrongAgainstFloat64(m, k, 32);
                for (int threads : new int[] {1, 2}) {
                    assertEquals(expected, ConvolutionGradients.oneDnnWrong(k, 32, threads), k + " at " + threads + " threads");
                }
            }
            assertTrue(ConvolutionGradients.oneDnnOn(), "oneDNN is on again after the check");
        } finally {
            Djl.useThreads(1);
        }
    }

    @Test
    void exactIsTakenWithoutCheckingWhenAskedFor() {
        System.setProperty(ConvolutionGradients.PROPERTY, "exact");
        try {
            assertTrue(ConvolutionGradients.exactAsked());
            assertTrue(ConvolutionGradients.oneDnnWrong(new Shape(4, 16, 3, 3), 16, 1));
        } finally {
            System.clearProperty(ConvolutionGradients.PROPERTY);
        }
        assertFalse(ConvolutionGradients.exactAsked());
        assertEquals("-Dstride.conv-gradients=exakt is neither checked nor exact: oneDNN's convolution gradients are checked",
                ConvolutionGradients.note("exakt"));
        assertEquals(null, ConvolutionGradients.note("checked"));
        assertEquals(null, ConvolutionGradients.note(null));
    }

    /**
     * A model with a 4-channel convolution after the first: its first layer's gradient after a train
     * step, as the check decided (oneDNN or libtorch's own kernels), within 1e-4 of the one with
     * libtorch's own kernels asked for ({@code -Dstride.conv-gradients=exact}).
     */
    @Test
    void aModelsGradientsAreRightWhateverTheCheckDecided() {
        float[] decided = firstLayerGradient();
        System.setProperty(ConvolutionGradients.PROPERTY, "exact");
        float[] exact;
        try {
            exact = firstLayerGradient();
        } finally {
            System.clearProperty(ConvolutionGradients.PROPERTY);
        }
        assertTrue(ConvolutionGradients.agree(exact, decided));
    }

    private static float[] firstLayerGradient() {
        DjlModel model = SequentialModelTest.model(FOUR_CHANNELS_AFTER_THE_FIRST, MNIST);
        try (NDManager m = Djl.manager().newSubManager()) {
            m.getEngine().setRandomSeed(5);
            try (DjlBatch b = new DjlBatch(m.newSubManager(), m.randomNormal(new Shape(16, 1, 28, 28)),
                    m.randomInteger(0, 10, new Shape(16), DataType.INT64), 16)) {
                model.trainStep(b, 1);
            }
            return model.trainableParameters().get("0.weight").getGradient().toFloatArray();
        } finally {
            model.close();
        }
    }

    /** oneDNN's float32 input gradient through {@code kernel} at 1 thread against float64's (libtorch's own kernels). */
    private static boolean oneDnnWrongAgainstFloat64(NDManager m, Shape kernel, int batch) {
        Djl.useThreads(1);
        int dims = kernel.dimension() - 2;
        long[] input = new long[dims + 2];
        input[0] = batch;
        input[1] = kernel.get(1);
        for (int d = 0; d < dims; d++) {
            input[d + 2] = dims == 3 ? 6 : 14;
        }
        NDArray x = m.randomNormal(new Shape(input));
        NDArray w = m.randomNormal(kernel).mul(0.2);
        input[1] = kernel.get(0); // odd kernels, "same" padding: the output's shape
        NDArray g = m.randomNormal(new Shape(input));
        float[] expected = inputGradient(x, w, g, DataType.FLOAT64);
        float[] got = inputGradient(x, w, g, DataType.FLOAT32);
        return !ConvolutionGradients.agree(expected, got);
    }

    private static float[] inputGradient(NDArray x0, NDArray w0, NDArray g0, DataType type) {
        NDArray x = x0.toType(type, true);
        NDArray w = w0.toType(type, true);
        NDArray g = g0.toType(type, true);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(ConvolutionGradients.sameConvolution(x, w).mul(g).sum());
            return x.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
