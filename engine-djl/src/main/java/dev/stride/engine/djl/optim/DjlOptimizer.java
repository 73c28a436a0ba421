package dev.stride.engine.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.IValue;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.model.Djl;
import dev.stride.engine.djl.model.DjlTensors;
import dev.stride.engine.djl.model.NativeKernels;
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
import java.util.function.Function;
import java.util.stream.Stream;
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
    /** The names of each parameter's state arrays, e.g. {@code momentum_buffer}. */
    private final List<String> slotNames;
    /** Whether every parameter is float32 (the native kernels' type). */
    protected final boolean float32;
    /** Steps taken, as PyTorch's {@code step} counter. */
    protected long steps;
    private final NDManager stateManager = Djl.manager().newSubManager();

    protected DjlOptimizer(Model model, ParamGroup group, List<String> slotNames) {
        if (!(model instanceof DjlModel m)) {
            throw new BadInputException("the DJL optimizers need a model of the DJL engine, got " + model.getClass().getName());
        }
        this.params = m.trainableParameters();
        this.group = group;
        this.slotNames = List.copyOf(slotNames);
        this.float32 = params.values().stream().allMatch(w -> w.getDataType() == DataType.FLOAT32);
        params.forEach((name, w) -> {
            Map<String, NDArray> s = new LinkedHashMap<>();
            for (String slot : slotNames) {
                s.put(slot, stateManager.zeros(w.getShape(), w.getDataType()));
            }
            slots.put(name, s);
        });
        defineGradients();
        warmUp();
    }

    /** The optimizer types whose script was warmed up in this process. */
    private static final java.util.Set<Class<?>> WARMED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Warm-ups under way, which the JVM waits for before it exits (a process must not exit inside libtorch). */
    private static final List<Thread> WARMING = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Thread t : WARMING) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "stride-optimizer-warm-up-exit"));
    }

    /**
     * TorchScript runs a script instrumented the first time and optimises it the second (34 + 6 ms for
     * the SGD step of the reference MLP, inside its first two iterations). Done here instead, once per
     * process and optimizer type, on a background thread while the job gets ready: this optimizer's
     * own update, twice, and {@code zero_grad}, on stand-ins (one number per parameter and slot, a
     * zero gradient each). The real parameters and state are not touched; the first real step then
     * finds the optimised plan, or waits for it. {@code -Dstride.preload=false} turns it off, with the
     * command line's other work ahead of need.
     */
    private void warmUp() {
        if ("false".equals(System.getProperty("stride.preload")) || !WARMED.add(getClass())) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                rehearse();
            } catch (RuntimeException | LinkageError e) {
                // only a matter of speed: the first real steps do the same work
            } finally {
                WARMING.remove(Thread.currentThread());
            }
        }, "stride-optimizer-warm-up");
        t.setDaemon(true);
        WARMING.add(t);
        t.start();
    }

    /** The warm-up's work, on the calling thread: the update twice and zero_grad, on stand-ins only. */
    void rehearse() {
        try (NDManager m = Djl.manager().newSubManager()) {
            List<NDArray> standIns = new ArrayList<>(params.size());
            for (NDArray w : params.values()) {
                NDArray p = m.zeros(new Shape(1), w.getDataType());
                p.setRequiresGradient(true);
                standIns.add(p);
            }
            Djl.backward(() -> sumOfSums(standIns.stream().map(p -> p.mul(0))));
            Map<String, List<NDArray>> slotStandIns = new LinkedHashMap<>();
            for (String slot : slotNames) {
                List<NDArray> list = new ArrayList<>(standIns.size());
                standIns.forEach(p -> list.add(m.zeros(new Shape(1), p.getDataType())));
                slotStandIns.put(slot, list);
            }
            Djl.noGrad(() -> {
                for (long step = 1; step <= 2; step++) {
                    update(ScriptedStep.tensors(standIns), slot -> ScriptedStep.tensors(slotStandIns.get(slot)), step);
                    ScriptedStep.ZERO_GRAD.run(ScriptedStep.tensors(standIns));
                }
            });
        }
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
        try (NDScope scope = new NDScope()) {
            Djl.backward(() -> sumOfSums(names.stream().map(name -> product.apply(name, params.get(name)))));
        }
    }

    /** The sum of every tensor's sum, added in order, or null for none. */
    private static NDArray sumOfSums(Stream<NDArray> tensors) {
        return tensors.map(NDArray::sum).reduce(NDArray::add).orElse(null);
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
     * Updates every parameter of {@code params} in place from its gradient, with its state arrays
     * ({@code slots} by slot name), as step {@code step} (counted from 1): the real parameters and
     * {@link #slots} at each {@link #step()}, stand-ins when the script is warmed up.
     */
    protected abstract void update(IValue params, Function<String, IValue> slots, long step);

    @Override
    public List<ParamGroup> paramGroups() {
        return List.of(group);
    }

    @Override
    public void step() {
        steps++;
        update(parameterList(), this::slotList, steps);
    }

    /**
     * Every gradient zeroed in place (their memory is kept for the next backward pass): by Stride's
     * kernel, a fill with +0.0 as {@code grad.zero_()} does, where the kernels run and the
     * gradients are float32 (a third of the script's time: no TorchScript list, no interpreter);
     * else in one native call of the script.
     */
    @Override
    public void zeroGrad() {
        if (float32 && NativeKernels.available()) {
            editGradients(views -> views.forEach(NativeKernels::zero));
            return;
        }
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
