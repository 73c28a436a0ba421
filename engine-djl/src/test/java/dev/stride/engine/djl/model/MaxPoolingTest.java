package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.DjlModel;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.spi.ProviderKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stride's max pooling gives libtorch's values and gradients to the bit, with its kernel or without. */
class MaxPoolingTest {
    private static final Shape ZERO = new Shape(0, 0);

    /** Inputs as pooling meets them: after a ReLU (ties at 0), rounded (ties everywhere), and with NaN, infinities and -0. */
    private static List<NDArray> inputs(NDManager m, Shape shape) {
        Random r = new Random(7);
        float[] special = m.randomNormal(shape).toFloatArray();
        for (int i = 0; i < special.length; i += 1 + r.nextInt(6)) {
            special[i] = switch (r.nextInt(5)) {
                case 0 -> Float.NaN;
                case 1 -> Float.NEGATIVE_INFINITY;
                case 2 -> Float.POSITIVE_INFINITY;
                case 3 -> -0.0f;
                default -> 0.0f;
            };
        }
        float[] allMinusInf = new float[(int) shape.size()];
        java.util.Arrays.fill(allMinusInf, Float.NEGATIVE_INFINITY);
        return List.of(Activation.relu(m.randomNormal(shape)), m.randomNormal(shape).round(), m.create(special, shape),
                m.create(allMinusInf, shape));
    }

    /**
     * The pooled values' bits and the input gradient's bits (for a random output gradient), with or
     * without the kernel; of the input's ReLU when {@code relu}.
     */
    private static int[][] pool(NDArray input, int k, int s, int p, boolean relu, boolean ours, NDArray outputGradient) {
        return valuesAndGradient(input, x -> MaxPooling.apply(x, new Shape(k, k), new Shape(s, s), new Shape(p, p), relu, ours),
                outputGradient);
    }

    /** The bits of {@code op}'s values on {@code input} and of the input's gradient for {@code outputGradient}. */
    private static int[][] valuesAndGradient(NDArray input, java.util.function.UnaryOperator<NDArray> op, NDArray outputGradient) {
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray y = op.apply(x);
            int[] values = bits(y);
            gc.backward(y.mul(outputGradient).sum());
            return new int[][] {values, bits(x.getGradient())};
        }
    }

    private static int[] bits(NDArray a) {
        float[] f = a.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void theKernelLoadsOnLinuxX8664() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64")));
        assumeTrue(System.getProperty(NativeKernels.PROPERTY) == null, "no -Dstride.kernels");
        assertTrue(NativeKernels.available(), "Stride's kernels load where they are shipped");
    }

    @Test
    void theKernelsRunOnLinuxX8664UnlessTurnedOffAndAnUnknownChoiceIsNamed() {
        assertTrue(NativeKernels.wanted(null, "Linux", "amd64"));
        assertTrue(NativeKernels.wanted("stride", "Linux", "x86_64"));
        assertFalse(NativeKernels.wanted("libtorch", "Linux", "amd64"));
        assertFalse(NativeKernels.wanted(null, "Mac OS X", "x86_64"));
        assertFalse(NativeKernels.wanted(null, "Linux", "aarch64"));
        assertEquals(null, NativeKernels.note(null));
        assertEquals(null, NativeKernels.note("libtorch"));
        assertEquals("-Dstride.kernels=fast is neither stride nor libtorch: Stride's CPU kernels are used", NativeKernels.note("fast"));
    }

    /** The kernel's indices are those of libtorch's rule, written out as a loop; with relu, on relu(x) (x < 0 taken as 0). */
    @Test
    void theKernelTakesTheElementLibtorchsLoopTakes() {
        assumeTrue(NativeKernels.available());
        try (NDManager m = Djl.manager().newSubManager()) {
            // 2 x 2 windows in rows of 14 (LeNet's first pooling: 8 + 6), 5 (its second), 20 (8 + 8 + 4), 1, 9 and
            // 8 windows, odd sizes; the AVX2 path's short rows read on into the next rows, except near the end
            int[][] cases = {{4, 3, 28, 28, 2}, {64, 16, 10, 10, 2}, {2, 5, 7, 9, 2}, {2, 3, 41, 40, 2}, {3, 1, 4, 2, 2},
                {1, 2, 19, 18, 2}, {2, 2, 6, 16, 2}, {1, 1, 2, 3, 2}, {3, 2, 10, 11, 3}, {1, 1, 5, 5, 5}, {2, 2, 6, 6, 1}};
            for (int[] c : cases) {
                Shape shape = new Shape(c[0], c[1], c[2], c[3]);
                int planes = c[0] * c[1];
                int outputs = planes * (c[2] / c[4]) * (c[3] / c[4]);
                for (NDArray x : inputs(m, shape)) {
                    for (boolean relu : new boolean[] {false, true}) {
                        long[] expected = libtorchsLoop(x.toFloatArray(), planes, c[2], c[3], c[4], relu);
                        for (boolean avx2 : NativeKernels.Isa.AVX2 ? new boolean[] {false, true} : new boolean[] {false}) {
                            // one more slot than needed, which no path may write
                            ByteBuffer out = ByteBuffer.allocateDirect((outputs + 1) * 8).order(ByteOrder.nativeOrder());
                            out.putLong(outputs * 8, 12345L);
                            NativeKernels.maxPoolIndices(DjlTensors.view(x), out, planes, c[2], c[3], c[4], relu, avx2);
                            long[] got = new long[outputs];
                            out.asLongBuffer().get(got);
                            String what = shape + " k " + c[4] + (relu ? " after a ReLU" : "") + (avx2 ? ", AVX2" : ", SSE2");
                            assertArrayEquals(expected, got, what);
                            assertEquals(12345L, out.getLong(outputs * 8), what + ": wrote past the output");
                        }
                    }
                }
            }
        }
    }

    /** libtorch's max_pool2d_with_indices loop for k x k windows at stride k: each window's index in its plane. */
    private static long[] libtorchsLoop(float[] v, int planes, int h, int w, int k, boolean relu) {
        long[] indices = new long[planes * (h / k) * (w / k)];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < h / k; oh++) {
                for (int ow = 0; ow < w / k; ow++) {
                    float max = Float.NEGATIVE_INFINITY;
                    int best = oh * k * w + ow * k;
                    for (int i = oh * k; i < oh * k + k; i++) {
                        for (int j = ow * k; j < ow * k + k; j++) {
                            float e = v[p * h * w + i * w + j];
                            e = relu && e < 0 ? 0 : e;
                            if (e > max || Float.isNaN(e)) {
                                max = e;
                                best = i * w + j;
                            }
                        }
                    }
                    indices[o++] = best;
                }
            }
        }
        return indices;
    }

    @Test
    void valuesAndGradientsAreLibtorchsToTheBit() {
        try (NDManager m = Djl.manager().newSubManager()) {
            // LeNet's two poolings, odd sizes (the last row and column left out), a 3x3 window, and windows
            // the kernel does not take (overlapping, padded): libtorch's own pooling, the same bits
            int[][] cases = {{64, 6, 28, 28, 2, 2, 0}, {64, 16, 10, 10, 2, 2, 0}, {3, 2, 7, 9, 2, 2, 0}, {2, 3, 10, 11, 3, 3, 0},
                {2, 3, 9, 9, 3, 2, 0}, {2, 3, 8, 8, 2, 2, 1}};
            for (int[] c : cases) {
                Shape shape = new Shape(c[0], c[1], c[2], c[3]);
                for (NDArray x : inputs(m, shape)) {
                    NDArray g = gradientFor(m, c);
                    for (boolean relu : new boolean[] {false, true}) {
                        String at = java.util.Arrays.toString(c) + (relu ? " after a ReLU" : "");
                        int[][] libtorch = relu ? reluThenPool(x, c, g) : pool(x, c[4], c[5], c[6], false, false, g);
                        int[][] stride = pool(x, c[4], c[5], c[6], relu, true, g);
                        assertArrayEquals(libtorch[0], stride[0], "values, " + at);
                        assertArrayEquals(libtorch[1], stride[1], "gradients, " + at);
                    }
                }
            }
        }
    }

    /** DJL's ReLU block, then libtorch's pooling: what {@link MaxPooling#afterRelu} stands for. */
    private static int[][] reluThenPool(NDArray input, int[] c, NDArray outputGradient) {
        return valuesAndGradient(input, x -> {
            NDArray r = Activation.reluBlock().forward(new ParameterStore(x.getManager(), false), new NDList(x), true).singletonOrThrow();
            return Pool.maxPool2d(r, new Shape(c[4], c[4]), new Shape(c[5], c[5]), new Shape(c[6], c[6]), false);
        }, outputGradient);
    }

    /** An input that is not contiguous (a transposed view) pools as its contiguous copy does, with the kernel as without. */
    @Test
    void aTransposedInputPoolsAsItsCopy() {
        try (NDManager m = Djl.manager().newSubManager()) {
            NDArray x = Activation.relu(m.randomNormal(new Shape(4, 3, 12, 10))).transpose(0, 1, 3, 2);
            Shape two = new Shape(2, 2);
            int[] copy = bits(MaxPooling.apply(x.duplicate(), two, two, ZERO, false, false));
            assertArrayEquals(copy, bits(MaxPooling.apply(x, two, two, ZERO, false, false)));
            assertArrayEquals(copy, bits(MaxPooling.apply(x, two, two, ZERO, false, true)));
        }
    }

    private static NDArray gradientFor(NDManager m, int[] c) {
        long ho = (c[2] + 2L * c[6] - c[4]) / c[5] + 1;
        long wo = (c[3] + 2L * c[6] - c[4]) / c[5] + 1;
        m.getEngine().setRandomSeed(11);
        return m.randomNormal(new Shape(c[0], c[1], ho, wo));
    }

    /** LeNet's step gives the same loss and gradients to the bit with the kernel as with libtorch's pooling. */
    @Test
    void leNetStepsTheSameWithTheKernel() {
        LeNetProvider p = new LeNetProvider();
        stepsTheSameWithTheKernel(() -> (DjlModel) p.create(ConfigFactory.empty().withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)),
                new DataSpec(new long[] {1, 28, 28}, 10), 3));
    }

    /**
     * A ReLU just before a max pooling is taken into the pooling's block (the tiling pooling's and
     * the overlapping one's), other ReLUs stay; and the network steps as with libtorch's ReLU and pooling.
     */
    @Test
    void sequentialReluBeforeAMaxPoolIsTakenInWithTheSameSteps() {
        String layers = """
                [{ type = conv2d, filters = 16, kernel = 3, padding = 1 }, { type = relu }, { type = max-pool, kernel = 2 },
                 { type = conv2d, filters = 16, kernel = 3 }, { type = relu }, { type = relu }, { type = max-pool, kernel = 3, stride = 2 }, { type = relu },
                 { type = avg-pool, kernel = 2 }, { type = flatten }, { type = linear, units = 8 }, { type = relu }, { type = linear }]""";
        DjlModel model = SequentialModelTest.model(layers, new DataSpec(new long[] {1, 28, 28}, 10));
        List<String> blocks = new ArrayList<>();
        model.block().getChildren().values().forEach(b -> blocks.add(b instanceof ai.djl.nn.LambdaBlock l ? l.getName() : b.getClass().getSimpleName()));
        model.close();
        assertEquals(List.of("Conv2d", "reluMaxPool2d", "Conv2d", "ReLU", "reluMaxPool2d", "ReLU", "avgPool2d", "batchFlatten", "Linear", "ReLU", "Linear"),
                blocks);
        stepsTheSameWithTheKernel(() -> SequentialModelTest.model(layers, new DataSpec(new long[] {1, 28, 28}, 10)));
    }

    private static void stepsTheSameWithTheKernel(java.util.function.Supplier<DjlModel> create) {
        assumeTrue(NativeKernels.available());
        List<Double> lossesWith = new ArrayList<>();
        List<Double> lossesWithout = new ArrayList<>();
        Map<String, float[]> with = step(create, null, lossesWith);
        Map<String, float[]> without = step(create, "libtorch", lossesWithout);
        assertEquals(lossesWithout, lossesWith);
        assertEquals(with.keySet(), without.keySet());
        assertFalse(with.isEmpty());
        for (String name : with.keySet()) {
            assertArrayEquals(without.get(name), with.get(name), name);
        }
    }

    /** Every trainable parameter's gradient after 3 train steps on the same batches (their losses into {@code losses}). */
    private static Map<String, float[]> step(java.util.function.Supplier<DjlModel> create, String kernels, List<Double> losses) {
        String before = System.getProperty(NativeKernels.PROPERTY);
        if (kernels != null) {
            System.setProperty(NativeKernels.PROPERTY, kernels);
        }
        try {
            DjlModel model = create.get();
            Map<String, float[]> out = new java.util.TreeMap<>();
            NDManager manager = Djl.manager().newSubManager();
            manager.getEngine().setRandomSeed(5);
            for (int i = 0; i < 3; i++) {
                try (DjlBatch b = new DjlBatch(manager.newSubManager(), manager.randomNormal(new Shape(16, 1, 28, 28)),
                        manager.randomInteger(0, 10, new Shape(16), DataType.INT64), 16)) {
                    losses.add(model.trainStep(b, i).get("loss"));
                }
            }
            model.trainableParameters().forEach((name, a) -> out.put(name, a.getGradient().toFloatArray()));
            model.close();
            manager.close();
            return out;
        } finally {
            if (before == null) {
                System.clearProperty(NativeKernels.PROPERTY);
            } else {
                System.setProperty(NativeKernels.PROPERTY, before);
            }
        }
    }
}
