package dev.stride.engine.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.training.GradientCollector;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Exact input gradients for convolutions whose output channels oneDNN pads. In the libtorch DJL
 * ships (2.7.1, oneDNN 3.7.1) the backward pass of a convolution (1-d, 2-d or 3-d) with a kernel
 * larger than 1, stride 1 and a number of output channels that is not a multiple of 16 gives wrong
 * gradients for the convolution's input on some CPUs (seen on an AMD EPYC with AVX-512, its AVX2
 * kernels too; right on an Intel Xeon with AVX-512 and AMX): relative errors of 0.3-0.9 against
 * float64 (and PyTorch 1.13), different at 1 and 2 threads and from run to run at 2, NaN for 8
 * channels. The weights' gradients and the forward pass are right, and so are 1 x 1, depthwise and
 * (in the shapes tried) stride-2 convolutions (bench/RESULTS.md, rounds 7 and 8). Every layer below
 * such a convolution would learn from wrong gradients. libtorch's own convolution kernels (im2col
 * and a matrix product) are right, and slower.
 *
 * <p>So for a model with such a convolution after its first (the first one's input gradient is not
 * computed: the data needs none), oneDNN's input gradients are checked once, at its first train
 * step, against libtorch's own kernels ({@link #oneDnnWrong}): for that convolution's kernel at the
 * step's batch size and for the 4- and 8-channel ones known to fail, at 1 thread and at the
 * model's count. Where they differ, the model's backward passes run with oneDNN turned off through
 * libtorch's switch ({@code at::globalContext().setUserEnabledMkldnn}), its forward passes with it
 * on; where they agree, oneDNN stays on. {@code -Dstride.conv-gradients=exact} turns it off for such models
 * without checking. The switch is process-wide; training steps run on one thread at a time.
 */
public final class ConvolutionGradients {
    private ConvolutionGradients() {}

    /** oneDNN's blocking of channels (AVX-512: 16 floats); a multiple of it is never padded. */
    public static final int BLOCK = 16;

    /**
     * Whether a model with these parameters, in the order its layers apply them, needs oneDNN off
     * in its backward passes: a convolution kernel ([out, in / groups, kernel...], rank 3 to 5)
     * after the first, larger than 1 (x 1 ...), not depthwise, whose output channels are not a
     * multiple of {@link #BLOCK}. (Its stride is not known from its kernel: a strided one counts
     * too; so does any other parameter of rank 3 to 5 of that form, which costs nothing in a model
     * without convolutions.)
     */
    public static boolean needed(List<NDArray> parametersInOrder) {
        return paddedKernel(parametersInOrder) != null;
    }

    /** The kernel ([out, in / groups, kernel...]) of the first convolution that makes {@link #needed} true, else null. */
    public static @Nullable Shape paddedKernel(List<NDArray> parametersInOrder) {
        boolean first = true;
        for (NDArray p : parametersInOrder) {
            Shape s = p.getShape();
            if (s.dimension() >= 3 && s.dimension() <= 5) { // [out, in / groups, kernel...] of a 1-d, 2-d or 3-d convolution
                long kernel = s.size() / (s.get(0) * s.get(1));
                if (!first && s.get(0) % BLOCK != 0 && s.get(1) > 1 && kernel > 1) {
                    return s;
                }
                first = false;
            }
        }
        return null;
    }

    /** The system property that chooses: {@code checked} (the default) or {@code exact}. */
    public static final String PROPERTY = "stride.conv-gradients";

    /**
     * Kernels whose input gradients were wrong on the CPU where the fault was found, at the batch
     * (16) and size (14 x 14) tried there: 16 to 4 channels (NaN) and 16 to 8, 3 x 3.
     */
    static final List<Shape> KNOWN_FAULTS = List.of(new Shape(4, 16, 3, 3), new Shape(8, 16, 3, 3));
    private static final int KNOWN_FAULTS_BATCH = 16;

    /** What {@link #oneDnnWrong} found, by kernel and thread count. */
    private static final Map<String, Boolean> CHECKED = new ConcurrentHashMap<>();

    /**
     * Whether oneDNN's input gradient of a convolution with this kernel (stride 1, "same" padding,
     * a batch of {@code batch} but at most 64, 14 x 14 or the kernel's size + 2) differs from
     * libtorch's own kernels' on this CPU, or that of one of the {@link #KNOWN_FAULTS}: at 1 thread
     * and at {@code threads}, checked once per process, kernel and batch (at a batch of 64 on 2
     * cores: 20-30 ms for a 6-to-8-channel 5 x 5 kernel, 50-55 ms for 32 to 24, 3 x 3). True where
     * it cannot be checked (libtorch's switch not found) or {@code -Dstride.conv-gradients=exact}.
     * Must not run inside a gradient collector (it uses its own).
     */
    public static boolean oneDnnWrong(Shape kernel, long batch, int threads) {
        if (exactAsked() || Switch.HANDLES == null) {
            return true;
        }
        int t = threads > 0 ? threads : JniUtils.getNumThreads();
        int n = (int) Math.max(1, Math.min(64, batch));
        boolean knownFault = CHECKED.computeIfAbsent("known faults at " + t,
                k -> KNOWN_FAULTS.stream().anyMatch(known -> differs(known, KNOWN_FAULTS_BATCH, t)));
        return knownFault || CHECKED.computeIfAbsent(kernel + " batch " + n + " at " + t, k -> differs(kernel, n, t));
    }

    /** Whether {@code -Dstride.conv-gradients=exact} asks for libtorch's own kernels without checking. */
    public static boolean exactAsked() {
        String choice = System.getProperty(PROPERTY);
        String note = note(choice);
        if (note != null && NOTED.add(choice)) {
            LoggerFactory.getLogger("stride").warn(note);
        }
        return "exact".equals(choice);
    }

    /** What to say about {@code choice} (the value of -Dstride.conv-gradients), or null when it is a known one. */
    static @Nullable String note(@Nullable String choice) {
        return choice == null || choice.equals("checked") || choice.equals("exact") ? null
                : "-D" + PROPERTY + "=" + choice + " is neither checked nor exact: oneDNN's convolution gradients are checked";
    }

    /** The unknown values said so far (once each). */
    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();

    private static boolean differs(Shape kernel, int batch, int threads) {
        int before = JniUtils.getNumThreads();
        try (NDManager m = Djl.manager().newSubManager()) {
            Probe probe = Probe.of(m, kernel, batch);
            for (int t : threads > 1 ? new int[] {1, threads} : new int[] {1}) {
                JniUtils.setNumThreads(t);
                float[] oneDnn = probe.inputGradient();
                float[] own = withoutOneDnn(probe::inputGradient);
                if (!agree(own, oneDnn)) {
                    return true;
                }
            }
            return false;
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    /**
     * sum(conv(x, w) * g) for x: {@code batch} samples, 14 or more along each axis (6 in 3-d),
     * stride 1 and "same" padding, with fixed values (no random generator is touched).
     */
    private record Probe(NDArray x, NDArray w, NDArray g) {
        static Probe of(NDManager m, Shape kernel, int batch) {
            int dims = kernel.dimension() - 2;
            long[] input = new long[dims + 2];
            input[0] = batch;
            input[1] = kernel.get(1);
            long[] padding = new long[dims];
            for (int d = 0; d < dims; d++) {
                long k = kernel.get(d + 2);
                input[d + 2] = Math.max(dims == 3 ? 6 : 14, k + 2);
                padding[d] = (k - 1) / 2;
            }
            NDArray x = fixed(m, new Shape(input), 1);
            NDArray w = fixed(m, kernel, 2).mul(1.0 / Math.sqrt(kernel.size() / kernel.get(0)));
            long[] output = input.clone();
            output[1] = kernel.get(0);
            for (int d = 0; d < dims; d++) {
                output[d + 2] = input[d + 2] + 2 * padding[d] - kernel.get(d + 2) + 1;
            }
            return new Probe(x, w, fixed(m, new Shape(output), 3));
        }

        /** The gradient for x. */
        float[] inputGradient() {
            try (NDManager m = x.getManager().newSubManager(); GradientCollector gc = Djl.engine().newGradientCollector()) {
                NDArray input = x.duplicate();
                input.attach(m);
                input.setRequiresGradient(true);
                NDArray out = sameConvolution(input, w);
                out.attach(m);
                gc.backward(out.mul(g).sum());
                return input.getGradient().toFloatArray();
            }
        }
    }

    /**
     * The 1-d, 2-d or 3-d convolution of {@code x} with the kernel {@code w} ([out, in, k...]), stride
     * 1, no bias, padded by (k - 1) / 2 along each axis (the input's size for odd kernels).
     */
    static NDArray sameConvolution(NDArray x, NDArray w) {
        int dims = w.getShape().dimension() - 2;
        long[] ones = new long[dims];
        long[] padding = new long[dims];
        for (int d = 0; d < dims; d++) {
            ones[d] = 1;
            padding[d] = (w.getShape().get(d + 2) - 1) / 2;
        }
        Shape one = new Shape(ones);
        Shape pad = new Shape(padding);
        NDList y = switch (dims) {
            case 1 -> Conv1d.conv1d(x, w, null, one, pad, one, 1);
            case 2 -> Conv2d.conv2d(x, w, null, one, pad, one, 1);
            default -> Conv3d.conv3d(x, w, null, one, pad, one, 1);
        };
        return y.singletonOrThrow();
    }

    /**
     * The backward pass of {@code loss} in {@code gc}, with oneDNN off ({@link #withoutOneDnn}) when
     * {@code exact}.
     */
    public static void backward(GradientCollector gc, NDArray loss, boolean exact) {
        if (exact) {
            withoutOneDnn(() -> {
                gc.backward(loss);
                return null;
            });
        } else {
            gc.backward(loss);
        }
    }

    /** Values in [-1, 1) that follow from the index and the seed alone. */
    private static NDArray fixed(NDManager m, Shape shape, int seed) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (((i + seed * 7919) * 0x9E3779B1) >>> 16) / 32768f - 1f;
        }
        return m.create(v, shape);
    }

    /** Within 1e-4 of the reference's largest magnitude everywhere, and no NaN. */
    static boolean agree(float[] reference, float[] got) {
        double scale = 0;
        double error = 0;
        for (int i = 0; i < reference.length; i++) {
            if (Float.isNaN(got[i]) != Float.isNaN(reference[i])) {
                return false;
            }
            scale = Math.max(scale, Math.abs(reference[i]));
            error = Math.max(error, Math.abs(reference[i] - got[i]));
        }
        return error <= 1e-4 * scale;
    }

    /**
     * Runs {@code backward} with oneDNN off, then turns it on again. NNPACK is off meanwhile too:
     * without oneDNN libtorch would try it, and where it cannot run (as on this machine) print
     * "Could not initialize NNPACK" on the terminal at every convolution.
     */
    public static <T> T withoutOneDnn(Supplier<T> backward) {
        Switch.Handles h = Switch.HANDLES;
        if (h == null) {
            return backward.get(); // said once, in a warning, when the switch was looked for
        }
        boolean nnpack = h.get(h.getNnpack());
        h.set(h.setOneDnn(), false);
        h.set(h.setNnpack(), false);
        try {
            return backward.get();
        } finally {
            h.set(h.setOneDnn(), true);
            h.set(h.setNnpack(), nnpack);
        }
    }

    /** Whether libtorch uses oneDNN now (what the switch says; true when the switch was not found). */
    static boolean oneDnnOn() {
        Switch.Handles h = Switch.HANDLES;
        return h == null || h.get(h.getOneDnn());
    }

    /** Whether libtorch's switch was found (else the backward passes keep oneDNN, as a warning says). */
    public static boolean available() {
        return Switch.HANDLES != null;
    }

    /** libtorch's global context and its oneDNN and NNPACK switches, looked for once in the loaded libtorch. */
    private static final class Switch {
        /** at::globalContext(), at::Context::setUserEnabledMkldnn(bool), userEnabledMkldnn() const, and NNPACK's. */
        record Handles(Pointer context, Function setOneDnn, Function getOneDnn, Function setNnpack, Function getNnpack) {
            void set(Function setter, boolean on) {
                setter.invokeVoid(new Object[] {context, on});
            }

            boolean get(Function getter) {
                return (getter.invokeInt(new Object[] {context}) & 0xff) != 0; // a C++ bool: the low byte
            }
        }

        static final @Nullable Handles HANDLES = find();

        private static @Nullable Handles find() {
            try {
                Djl.engine(); // libtorch loaded: LibUtils knows where it is
                NativeLibrary libtorch = NativeLibrary.getInstance(LibUtils.getLibtorchPath() + "/" + System.mapLibraryName("torch_cpu"));
                return new Handles(libtorch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]),
                        libtorch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb"),
                        libtorch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv"),
                        libtorch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb"),
                        libtorch.getFunction("_ZNK2at7Context17userEnabledNNPACKEv"));
            } catch (LinkageError | RuntimeException e) {
                LoggerFactory.getLogger("stride").warn("Gradients: libtorch's oneDNN switch was not found in the loaded libtorch ({}):"
                        + " backward passes keep oneDNN, whose input gradients for convolutions with output channels that are not"
                        + " a multiple of {} may be wrong", e.getMessage(), BLOCK);
                return null;
            }
        }
    }
}
