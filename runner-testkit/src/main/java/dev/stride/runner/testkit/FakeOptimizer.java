package dev.stride.runner.testkit;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.ParamGroup;
import dev.stride.runner.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * SGD with momentum over a {@link FakeModel}'s parameters, in float arithmetic:
 * {@code buf = momentum * buf + grad; param -= lr * buf}. It reads each group's lr and momentum at
 * every step, so schedules act on it, and records them ({@link #lrs()}, {@link #momenta()}).
 *
 * <p>It has one parameter group unless more are added with {@link #group}; the model's parameters
 * are assigned to the groups in order, the last group taking the rest ({@code w} to group 0,
 * {@code b} to group 1 when there are two).
 *
 * <p>Its state (momentum buffers as tensors {@code <param>.momentum_buffer}, the step count, and
 * every group's lr and momentum, as torch keeps them) is saved and loaded; so are the model's
 * gradients, through {@link #saveGradients} and {@link #loadGradients}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class FakeOptimizer implements Optimizer {
    /** The lr of the first group when none is given. */
    public static final double DEFAULT_LR = 0.1;
    /** The momentum of the first group when none is given. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final FakeModel model;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private final List<double[]> lrs = new ArrayList<>();
    private final List<double[]> momenta = new ArrayList<>();
    private long steps;
    private long zeroGrads;

    /** One group, {@code default}, of {@code lr} and {@code momentum}. */
    public FakeOptimizer(FakeModel model, double lr, double momentum) {
        this.model = model;
        groups.add(new ParamGroup("default", lr, momentum));
        model.params().forEach((n, p) -> buffers.put(n, new float[p.length]));
    }

    /** One group of lr {@value #DEFAULT_LR} and momentum {@value #DEFAULT_MOMENTUM}. */
    public FakeOptimizer(FakeModel model) {
        this(model, DEFAULT_LR, DEFAULT_MOMENTUM);
    }

    /** Adds a parameter group {@code group<N>}; returns this optimizer. */
    public FakeOptimizer group(double lr, double momentum) {
        groups.add(new ParamGroup("group" + groups.size(), lr, momentum));
        return this;
    }

    @Override
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    @Override
    public void step() {
        lrs.add(groups.stream().mapToDouble(ParamGroup::lr).toArray());
        momenta.add(groups.stream().mapToDouble(ParamGroup::momentum).toArray());
        int index = 0;
        for (Map.Entry<String, float[]> e : model.params().entrySet()) {
            ParamGroup group = groups.get(Math.min(index++, groups.size() - 1));
            float lr = (float) group.lr();
            float mom = (float) group.momentum();
            float[] p = e.getValue();
            float[] g = model.grads().get(e.getKey());
            float[] buf = buffers.get(e.getKey());
            for (int i = 0; i < p.length; i++) {
                buf[i] = mom * buf[i] + g[i];
                p[i] -= lr * buf[i];
            }
        }
        steps++;
    }

    @Override
    public void zeroGrad() {
        model.grads().values().forEach(g -> Arrays.fill(g, 0f));
        zeroGrads++;
    }

    @Override
    public double gradNorm() {
        double s = 0;
        for (float[] g : model.grads().values()) {
            for (float v : g) {
                s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }

    @Override
    public void scaleGrads(double factor) {
        float f = (float) factor;
        for (float[] g : model.grads().values()) {
            for (int i = 0; i < g.length; i++) {
                g[i] *= f;
            }
        }
    }

    @Override
    public void saveGradients(Checkpoint.Section state) {
        model.grads().forEach((n, g) -> state.putTensor(n, Tensor.ofFloats(new long[] {g.length}, g)));
    }

    @Override
    public void loadGradients(Checkpoint.Section state) {
        model.grads().forEach((n, g) -> {
            Tensor t = state.tensor(n);
            if (t != null) {
                System.arraycopy(t.toFloats(), 0, g, 0, g.length);
            }
        });
    }

    /** Writes {@code <param>.momentum_buffer} tensors, {@code steps}, and {@code group.<i>.lr} / {@code .momentum}. */
    @Override
    public void saveState(Checkpoint.Section state) {
        buffers.forEach((n, b) -> state.putTensor(n + ".momentum_buffer", Tensor.ofFloats(new long[] {b.length}, b)));
        state.put("steps", steps);
        for (int i = 0; i < groups.size(); i++) {
            state.put("group." + i + ".lr", groups.get(i).lr());
            state.put("group." + i + ".momentum", groups.get(i).momentum());
        }
    }

    /** Reads back what {@link #saveState} wrote; what is absent stays as it is. */
    @Override
    public void loadState(Checkpoint.Section state) {
        buffers.forEach((n, b) -> {
            Tensor t = state.tensor(n + ".momentum_buffer");
            if (t != null) {
                System.arraycopy(t.toFloats(), 0, b, 0, b.length);
            }
        });
        steps = state.getLong("steps", steps);
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            g.setLr(state.getDouble("group." + i + ".lr", g.lr()));
            g.setMomentum(state.getDouble("group." + i + ".momentum", g.momentum()));
        }
    }

    /** Steps taken, counted across resumes (saved with the state). */
    public long steps() {
        return steps;
    }

    /** {@link #zeroGrad()} calls on this object. */
    public long zeroGrads() {
        return zeroGrads;
    }

    /** The momentum buffers, by parameter name (live arrays). */
    public Map<String, float[]> buffers() {
        return buffers;
    }

    /** The lr of every group at each {@link #step()} of this object, in order: what the steps used. */
    public List<double[]> lrs() {
        return Collections.unmodifiableList(lrs);
    }

    /** The momentum of every group at each {@link #step()} of this object, in order. */
    public List<double[]> momenta() {
        return Collections.unmodifiableList(momenta);
    }

    /** The whole state as exact text, for comparisons: steps, each group's lr and momentum, the buffers' bits. */
    public String stateText() {
        StringBuilder sb = new StringBuilder("steps=").append(steps);
        for (ParamGroup g : groups) {
            sb.append(" lr=").append(g.lr()).append(" momentum=").append(g.momentum());
        }
        return sb.append(' ').append(FakeModel.text(buffers)).toString();
    }
}
