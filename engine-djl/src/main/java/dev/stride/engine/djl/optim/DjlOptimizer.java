package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.model.Djl;
import dev.stride.engine.djl.model.DjlTensors;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.ParamGroup;
import dev.stride.runner.api.Tensor;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * An optimizer over a DJL model's trainable parameters (frozen ones keep their values and have no
 * state) whose whole state is ours, so it can be saved: DJL's own optimizers keep momentum and
 * moments private. Subclasses declare their per-parameter slots
 * (e.g. {@code momentum_buffer}) and the update of all parameters.
 */
abstract class DjlOptimizer implements Optimizer {
    protected final Map<String, NDArray> params;
    protected final ParamGroup group;
    /** Per parameter, its state arrays by slot name. */
    protected final Map<String, Map<String, NDArray>> slots = new LinkedHashMap<>();
    /** Steps taken, as PyTorch's {@code step} counter. */
    protected long steps;
    private final NDManager stateManager = Djl.manager().newSubManager();

    protected DjlOptimizer(Model model, ParamGroup group, List<String> slotNames) {
        if (!(model instanceof DjlModel m)) {
            throw new BadInputException("the DJL optimizers need a model of the DJL engine, got " + model.getClass().getName());
        }
        this.params = m.trainableParameters();
        this.group = group;
        params.forEach((name, w) -> {
            Map<String, NDArray> s = new LinkedHashMap<>();
            for (String slot : slotNames) {
                s.put(slot, stateManager.zeros(w.getShape(), w.getDataType()));
            }
            slots.put(name, s);
        });
        defineGradients();
    }

    /**
     * Gives every parameter a zero gradient, as a backward pass of {@code sum(w * 0)} leaves it
     * (one that has a gradient keeps it: zero is added). The scripted steps read each
     * {@code param.grad}, and TorchScript in DJL's libtorch cannot tell an undefined one from a
     * defined one.
     */
    private void defineGradients() {
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            NDArray total = null;
            for (NDArray w : params.values()) {
                NDArray term = w.mul(0).sum();
                total = total == null ? term : total.add(term);
            }
            if (total != null) {
                gc.backward(total);
            }
        }
    }

    /**
     * Updates every parameter in place from its gradient ({@link #params}, their {@link #slots}),
     * {@link #steps} already counting this step.
     */
    protected abstract void updateAll();

    @Override
    public List<ParamGroup> paramGroups() {
        return List.of(group);
    }

    @Override
    public void step() {
        steps++;
        updateAll();
    }

    /** Every gradient zeroed in place in one native call (their memory is kept for the next backward pass). */
    @Override
    public void zeroGrad() {
        ScriptedStep.ZERO_GRAD.run(ScriptedStep.tensors(List.copyOf(params.values())));
    }

    @Override
    public double gradNorm() {
        return Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                NDArray total = null;
                for (NDArray w : params.values()) {
                    NDArray sq = w.getGradient().square().sum();
                    total = total == null ? sq : total.add(sq);
                }
                return total == null ? 0.0 : Math.sqrt(total.getFloat());
            }
        });
    }

    @Override
    public void scaleGrads(double factor) {
        Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                for (NDArray w : params.values()) {
                    w.getGradient().muli((float) factor);
                }
            }
        });
    }

    /** Views of the gradients' own memory, in the parameters' order: the action edits them in place. */
    @Override
    public void editGradients(Consumer<List<FloatBuffer>> action) {
        List<FloatBuffer> views = new ArrayList<>(params.size());
        try (NDScope scope = new NDScope()) {
            for (NDArray w : params.values()) {
                NDArray g = w.getGradient();
                if (g.getDataType() == DataType.FLOAT32) {
                    views.add(g.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer());
                }
            }
            action.accept(views);
        }
    }

    @Override
    public void saveGradients(Checkpoint.Section state) {
        try (NDScope scope = new NDScope()) {
            params.forEach((name, w) -> state.putTensor(name, DjlTensors.toTensor(w.getGradient())));
        }
    }

    /**
     * PyTorch offers no setter for a gradient, so this runs a backward pass of sum(w * g) over
     * the saved g: its gradient with respect to w is exactly g (added to a zero or absent one).
     */
    @Override
    public void loadGradients(Checkpoint.Section state) {
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            NDArray total = null;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                Tensor t = state.tensor(e.getKey());
                if (t != null) {
                    NDArray w = e.getValue();
                    NDArray g = Djl.manager().create(t.data(), w.getShape(), w.getDataType());
                    NDArray term = w.mul(g).sum();
                    total = total == null ? term : total.add(term);
                }
            }
            if (total != null) {
                zeroGrad();
                gc.backward(total);
            }
        }
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.put("steps", steps);
        state.put("lr", group.lr());
        state.put("momentum", group.momentum());
        slots.forEach((param, s) -> s.forEach((slot, arr) -> state.putTensor(param + "." + slot, DjlTensors.toTensor(arr))));
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        if (state.tensorNames().isEmpty() && !slots.isEmpty() && !slots.values().iterator().next().isEmpty()) {
            LoggerFactory.getLogger(DjlOptimizer.class).warn(
                    "The checkpoint holds no optimizer state (saved with save-optimizer = false?): the optimizer starts fresh");
            group.setLr(state.getDouble("lr", group.lr()));
            group.setMomentum(state.getDouble("momentum", group.momentum()));
            return;
        }
        steps = state.getLong("steps", 0);
        group.setLr(state.getDouble("lr", group.lr()));
        group.setMomentum(state.getDouble("momentum", group.momentum()));
        slots.forEach((param, s) -> s.forEach((slot, arr) -> {
            Tensor t = state.tensor(param + "." + slot);
            if (t != null) {
                Djl.noGrad(() -> DjlTensors.copyInto(t, arr, "optimizer." + param + "." + slot));
            } else if (steps > 0) {
                throw new BadInputException("the checkpoint lacks optimizer." + param + "." + slot
                        + " though the optimizer took " + steps + " steps: was it saved with save-optimizer = false,"
                        + " or by another optimizer type?");
            }
        }));
    }
}
