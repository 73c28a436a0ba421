package dev.stride.engine.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Predictions;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A classifier on DJL: a block producing logits, softmax cross-entropy loss, top-k accuracy in
 * val steps. Parameters are named {@code <layer>.<weight|bias>} and kept in name order, the same
 * in every JVM. Every array a step creates lives in an {@link NDScope} closed at the step's end,
 * so native memory stays flat.
 */
public final class ClassifierModel implements Model {
    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final Map<String, Parameter> params;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final int[] topk;
    private final boolean random;
    private final DataSpec spec;

    /**
     * @param spec the samples it takes and the classes it outputs
     * @param layers the layers that hold parameters, by the name their parameters get
     * @param random whether train steps draw random numbers (dropout), so each needs its seed
     */
    ClassifierModel(Block block, Map<String, Block> layers, DataSpec spec, long seed, int[] topk, boolean random) {
        this.block = block;
        this.spec = spec;
        this.topk = topk.clone();
        this.random = random;
        this.manager = Djl.manager().newSubManager();
        Djl.seed(seed);
        long[] sample = spec.sampleShape();
        long[] shape = new long[sample.length + 1];
        shape[0] = 1;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        block.initialize(manager, DataType.FLOAT32, new Shape(shape));
        this.store = new ParameterStore(manager, false);
        Map<String, Parameter> named = new TreeMap<>();
        layers.forEach((layer, b) -> b.getDirectParameters().forEach(p -> named.put(layer + "." + p.getKey(), p.getValue())));
        this.params = Collections.unmodifiableMap(named);
    }

    /** The parameters' current arrays, by name, in name order. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((n, p) -> out.put(n, p.getArray()));
        return out;
    }

    public DataSpec spec() {
        return spec;
    }

    /** The samples it takes and the classes it outputs. */
    @Override
    public DataSpec dataSpec() {
        return spec;
    }

    @Override
    public StepOutput trainStep(Batch batch, long stepSeed) {
        try {
            return train(cast(batch), stepSeed);
        } catch (ai.djl.engine.EngineException e) {
            throw labelOutOfRange(e);
        }
    }

    /**
     * A label the data set did not declare (its spec promised fewer classes) reaches the loss:
     * PyTorch's "Target N is out of bounds" becomes a message about the data, not an internal error.
     */
    private RuntimeException labelOutOfRange(ai.djl.engine.EngineException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("out of bounds") || m.contains("Target")) {
            return new BadInputException("a label of the data is outside the model's classes 0.." + (spec.numClasses() - 1)
                    + " (" + m.lines().findFirst().orElse(m).trim() + "): check the data's labels and model.num-classes", e);
        }
        return e;
    }

    private StepOutput train(DjlBatch b, long stepSeed) {
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            if (random) {
                Djl.seed(stepSeed);
            }
            NDList out = block.forward(store, new NDList(b.x()), true);
            NDArray l = loss.evaluate(new NDList(b.y()), out);
            gc.backward(l);
            return new StepOutput(Map.of("loss", (double) l.getFloat()), b.size());
        }
    }

    @Override
    public StepOutput valStep(Batch batch) {
        try {
            return Djl.noGrad(() -> evaluate(cast(batch)));
        } catch (ai.djl.engine.EngineException e) {
            throw labelOutOfRange(e);
        }
    }

    private StepOutput evaluate(DjlBatch b) {
        try (NDScope scope = new NDScope()) {
            NDArray logits = block.forward(store, new NDList(b.x()), false).singletonOrThrow();
            double l = loss.evaluate(new NDList(b.y()), new NDList(logits)).getFloat();
            Map<String, Double> scalars = new LinkedHashMap<>();
            scalars.put("loss", l);
            scalars.put("accuracy", correct(logits, b.y(), 1) / (double) b.size());
            for (int k : topk) {
                if (k > 1) {
                    scalars.put("accuracy_top" + k, correct(logits, b.y(), k) / (double) b.size());
                }
            }
            return new StepOutput(scalars, b.size());
        }
    }

    /** Samples whose label is among the k highest logits. */
    private static long correct(NDArray logits, NDArray labels, int k) {
        if (k == 1) {
            return logits.argMax(1).eq(labels).sum().getLong();
        }
        int kk = (int) Math.min(k, logits.getShape().get(1));
        NDArray top = logits.argSort(1, false).get(":, :" + kk);
        return top.eq(labels.reshape(-1, 1)).sum().getLong();
    }

    @Override
    public Predictions predict(Batch batch) {
        DjlBatch b = cast(batch);
        return Djl.noGrad(() -> predictions(b));
    }

    private Predictions predictions(DjlBatch b) {
        try (NDScope scope = new NDScope()) {
            long[] predicted = block.forward(store, new NDList(b.x()), false).singletonOrThrow().argMax(1).toLongArray();
            long[] labels = b.y().toLongArray();
            int[] p = new int[predicted.length];
            int[] l = new int[labels.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (int) predicted[i];
                l[i] = (int) labels[i];
            }
            return new Predictions(l, p);
        }
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        params.forEach((name, p) -> state.putTensor(name, DjlTensors.toTensor(p.getArray())));
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        List<String> missing = new ArrayList<>();
        params.forEach((name, p) -> {
            Tensor t = state.tensor(name);
            if (t == null) {
                missing.add(name);
            } else {
                Djl.noGrad(() -> DjlTensors.copyInto(t, p.getArray(), "model." + name));
            }
        });
        if (!missing.isEmpty()) {
            throw new BadInputException("the checkpoint lacks parameters of this model: model." + String.join(", model.", missing)
                    + " (it has " + dev.stride.runner.api.internal.Printable.of(state.tensorNames())
                    + "). Was it written for another model config?");
        }
    }

    private static DjlBatch cast(Batch batch) {
        if (batch instanceof DjlBatch b) {
            return b;
        }
        throw new BadInputException("the DJL models need batches from a DJL data set, got " + batch.getClass().getName()
                + ": use a data type of the same engine as the model");
    }

    @Override
    public long liveTensors() {
        return Djl.manager().getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
