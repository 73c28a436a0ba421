package dev.stride.engine.djl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stride.bench.Figures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ReLU and a max pooling, forward and backward, as LeNet's layers run them: libtorch's ReLU
 * then its pooling, against Stride's kernel with the ReLU taken in ({@link MaxPooling#afterRelu}),
 * on LeNet's two poolings (2 x 2, stride 2) of normally distributed inputs (a convolution's
 * output), with 1 and 2 PyTorch threads, interleaved round by round. Prints each round and then the medians over the rounds, in microseconds:
 * {@code pooling.<shape>.<threads>t.<libtorch|stride>_us}, and the kernel's index search alone with
 * SSE2 and with AVX2 ({@code pooling.<shape>.indices.<sse2|avx2>_us}, one thread). In the bench module's jar but in
 * engine-djl's package, to reach its package-private pooling (class path only).
 *
 * <p>Usage: {@code PoolingBench <rounds> [calls]}
 */
public final class PoolingBench {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        if (!NativeKernels.available()) {
            System.out.println("pooling: Stride's kernel is not available here (Linux x86-64 only, or -Dstride.kernels=libtorch)");
            return;
        }
        Shape two = new Shape(2, 2);
        Shape none = new Shape(0, 0);
        Map<String, List<Double>> all = new LinkedHashMap<>();
        try (NDManager m = Djl.manager().newSubManager()) {
            for (int r = 1; r <= rounds; r++) {
                for (int threads : new int[] {1, 2}) {
                    Djl.useThreads(threads);
                    for (Shape shape : new Shape[] {new Shape(64, 6, 28, 28), new Shape(64, 16, 10, 10)}) {
                        NDArray x = m.randomNormal(shape);
                        x.setRequiresGradient(true);
                        for (boolean ours : new boolean[] {false, true}) {
                            long[] t = new long[calls];
                            for (int i = -calls / 3; i < calls; i++) {
                                try (NDManager step = m.newSubManager()) {
                                    x.tempAttach(step);
                                    long t0 = System.nanoTime();
                                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                                        gc.backward(MaxPooling.apply(x, two, two, none, true, ours));
                                    }
                                    if (i >= 0) {
                                        t[i] = System.nanoTime() - t0;
                                    }
                                }
                            }
                            Arrays.sort(t);
                            String key = "pooling." + shape.toString().replaceAll("[() ]", "").replace(',', 'x') + "." + threads + "t."
                                    + (ours ? "stride" : "libtorch") + "_us";
                            double median = t[calls / 2] / 1e3;
                            all.computeIfAbsent(key, k -> new ArrayList<>()).add(median);
                            System.out.printf("round %d %s: %.0f%n", r, key, median);
                        }
                        if (threads == 1) {
                            indices(x, shape, calls, r, all);
                        }
                        x.close();
                    }
                }
            }
        }
        all.forEach((key, v) -> {
            System.out.printf("%s: %.0f%n", key, Figures.median(v.stream().mapToDouble(Double::doubleValue).toArray()));
        });
    }

    /** The kernel's index search alone (one thread), with SSE2 and, where the CPU runs it, with AVX2. */
    private static void indices(NDArray x, Shape shape, int calls, int round, Map<String, List<Double>> all) {
        int planes = (int) (shape.get(0) * shape.get(1));
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        ByteBuffer out = ByteBuffer.allocateDirect(planes * (h / 2) * (w / 2) * 8).order(ByteOrder.nativeOrder());
        ByteBuffer in = DjlTensors.view(x);
        for (boolean avx2 : NativeKernels.Isa.AVX2 ? new boolean[] {false, true} : new boolean[] {false}) {
            long[] t = new long[calls];
            for (int i = -calls / 3; i < calls; i++) {
                long t0 = System.nanoTime();
                NativeKernels.maxPoolIndices(in, out, planes, h, w, 2, true, avx2);
                if (i >= 0) {
                    t[i] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(t);
            String key = "pooling." + shape.toString().replaceAll("[() ]", "").replace(',', 'x') + ".indices."
                    + (avx2 ? "avx2" : "sse2") + "_us";
            double median = t[calls / 2] / 1e3;
            all.computeIfAbsent(key, k -> new ArrayList<>()).add(median);
            System.out.printf("round %d %s: %.0f%n", round, key, median);
        }
    }
}
