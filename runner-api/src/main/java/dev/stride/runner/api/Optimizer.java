package dev.stride.runner.api;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * The engine-neutral view of an optimizer: it updates the model's parameters from the gradients
 * its train steps left, and its whole state (momentum buffers, moments, step counts) can be saved.
 *
 * <p>Called from the runner's thread only.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Optimizer {
    /** The parameter groups; at least one. */
    List<ParamGroup> paramGroups();

    /** Updates the parameters from the current gradients. Does not zero them. */
    void step();

    /** Sets every gradient to zero. */
    void zeroGrad();

    /** The global L2 norm of all gradients. */
    double gradNorm();

    /** Multiplies every gradient by {@code factor} (clipping, averaging accumulated gradients). */
    void scaleGrads(double factor);

    /**
     * Writes the current gradients as tensors named by parameter, for a checkpoint taken while
     * gradients are being accumulated over several iterations.
     */
    void saveGradients(Checkpoint.Section state);

    /** Sets the gradients to what {@link #saveGradients} wrote; absent ones stay as they are. */
    void loadGradients(Checkpoint.Section state);

    /**
     * Runs {@code action} on every float32 gradient as a writable view, in a fixed order (the same
     * for the same model); what the action writes there becomes the gradients. For collectives that
     * reduce all the gradients at once, in place (data-parallel training). An engine overrides
     * this with views of the gradients' own memory; this default copies them out with
     * {@link #saveGradients} (in name order) and back with {@link #loadGradients}.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void editGradients(Consumer<List<FloatBuffer>> action) {
        Checkpoint.Section saved = new Checkpoint().section("", "");
        saveGradients(saved);
        List<String> names = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<FloatBuffer> views = new ArrayList<>();
        for (String name : saved.tensorNames().stream().sorted().toList()) {
            Tensor t = saved.tensor(name);
            if (t != null && t.dtype() == DType.F32) {
                FloatBuffer data = t.data().asFloatBuffer();
                float[] v = new float[data.remaining()];
                data.get(v);
                names.add(name);
                values.add(v);
                views.add(FloatBuffer.wrap(v));
            }
        }
        action.accept(views);
        Checkpoint.Section edited = new Checkpoint().section("", "");
        for (int i = 0; i < names.size(); i++) {
            Tensor t = saved.tensor(names.get(i));
            edited.putTensor(names.get(i), Tensor.ofFloats(t == null ? new long[] {values.get(i).length} : t.shape(), values.get(i)));
        }
        loadGradients(edited);
    }

    /** Writes the optimizer's tensors ({@code <param>.<slot>}) and counters. */
    void saveState(Checkpoint.Section state);

    /** Reads back what {@link #saveState} wrote; absent state leaves a fresh optimizer. */
    void loadState(Checkpoint.Section state);
}
