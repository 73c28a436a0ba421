package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.IValue;
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
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
        addToGradients(params.keySet(), (name, w) -> w.mul(0));
    }

    /**
     * One backward pass of the sum of {@code product(name, w)} over the parameters {@code names}:
     * each gets that product's gradient added to its own ({@code w * g} adds exactly g). PyTorch
     * offers no setter for a gradient; this is how one is written.
     */
    private void addToGradients(Collection<String> names, BiFunction<String, NDArray, NDArray> product) {
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            NDArray total = null;
            for (String name : names) {
                NDArray term = product.apply(name, params.get(name)).sum();
                total = total == null ? term : total.add(term);
            }
            if (total != null) {
                gc.backward(total);
            }
        }
    }

    /** The trainable parameters, in their fixed order, as a TorchScript list for the scripted steps. */
    protected IValue parameterList() {
        return ScriptedStep.tensors(List.copyOf(params.values()));
    }

    /** Every parameter's state array of {@code slot}, in the parameters' order, as a TorchScript list. */
    protected IValue slotList(String slot) {
        List<NDArray> arrays = new ArrayList<>(params.size());
        params.keySet().forEach(name -> arrays.add(slots.get(name).get(slot)));
        return ScriptedStep.tensors(arrays);
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
        ScriptedStep.ZERO_GRAD.run(parameterList());
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
                return total == null ? 0.0 : Math.sqrt(DjlTensors.scalar(total));
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
                    views.add(DjlTensors.view(g).asFloatBuffer());
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

    /** The saved g of every parameter it has: its gradient becomes exactly g (zeroed, then g added). */
    @Override
    public void loadGradients(Checkpoint.Section state) {
        List<String> saved = params.keySet().stream().filter(name -> state.tensor(name) != null).toList();
        if (saved.isEmpty()) {
            return;
        }
        zeroGrad();
        addToGradients(saved, (name, w) -> {
            Tensor t = state.tensor(name);
            return w.mul(Djl.manager().create(t.data(), w.getShape(), w.getDataType()));
        });
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
