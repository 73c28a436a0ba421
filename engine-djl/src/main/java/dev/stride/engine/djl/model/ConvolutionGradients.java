package dev.stride.engine.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Exact input gradients for convolutions whose output channels oneDNN pads. In the libtorch DJL
 * ships (2.7.1, oneDNN 3.7.1) the backward pass of a convolution (1-d, 2-d or 3-d) with a kernel
 * larger than 1, stride 1 and a number of output channels that is not a multiple of 16 gives wrong
 * gradients for the convolution's input on this machine (AMD EPYC, AVX-512; its AVX2 kernels too):
 * relative errors of 0.3-0.9 against float64 (and PyTorch 1.13), different at 1 and 2 threads and
 * from run to run at 2, NaN for 8 channels. The weights' gradients and the forward pass are right,
 * and so are 1 x 1, depthwise and (in the shapes tried) stride-2 convolutions (bench/RESULTS.md,
 * round 7). Every layer below such a convolution would learn from wrong gradients. libtorch's own
 * convolution kernels (im2col and a matrix product) are right, and slower: so a model with such a
 * convolution after its first (the first one's input gradient is not computed: the data needs
 * none) runs its backward passes with oneDNN turned off through libtorch's switch
 * ({@code at::globalContext().setUserEnabledMkldnn}), and its forward passes with it on. The
 * switch is process-wide; training steps run on one thread at a time.
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
        return paddedChannels(parametersInOrder) > 0;
    }

    /** The output channels of the first convolution that makes {@link #needed} true, else 0. */
    public static long paddedChannels(List<NDArray> parametersInOrder) {
        boolean first = true;
        for (NDArray p : parametersInOrder) {
            Shape s = p.getShape();
            if (s.dimension() >= 3 && s.dimension() <= 5) { // [out, in / groups, kernel...] of a 1-d, 2-d or 3-d convolution
                long kernel = s.size() / (s.get(0) * s.get(1));
                if (!first && s.get(0) % BLOCK != 0 && s.get(1) > 1 && kernel > 1) {
                    return s.get(0);
                }
                first = false;
            }
        }
        return 0;
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
    static boolean available() {
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
