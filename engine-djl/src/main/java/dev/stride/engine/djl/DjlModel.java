package dev.stride.engine.djl;

import ai.djl.engine.EngineException;
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
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.util.Pair;
import dev.stride.engine.djl.model.BlockSummary;
import dev.stride.engine.djl.model.ConvolutionGradients;
import dev.stride.engine.djl.model.Djl;
import dev.stride.engine.djl.model.DjlTensors;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.ModelSummary;
import dev.stride.runner.api.Predictions;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any DJL {@link Block} as a Stride {@link Model}: trained by Stride's runners, hooks and
 * optimizers ({@code sgd}, {@code adam}, {@code adamw}), saved in checkpoints and resumed bit for
 * bit.
 *
 * <pre>{@code
 * Block net = new SequentialBlock()
 *         .add(Blocks.batchFlattenBlock())
 *         .add(Linear.builder().setUnits(128).build())
 *         .add(Activation.reluBlock())
 *         .add(Linear.builder().setUnits(10).build());
 * DjlModel model = DjlModel.builder(net)
 *         .inputShape(1, 28, 28)                        // one sample, without the batch dimension
 *         .classes(10)                                  // or .regression(targets)
 *         .loss(Losses.softmaxCrossEntropy())           // the default for classification
 *         .metrics(Metric.accuracy(), Metric.topK(5))
 *         .seed(42)
 *         .build();
 * }</pre>
 *
 * <p>The block takes a batch {@code [n, input shape...]} (float32) and returns one array
 * {@code [n, outputs]}: a classifier's logits (one per class; one logit for a binary classifier
 * trained with {@link Losses#bceWithLogits()}) or a regression's values (one per target). A
 * block that is not initialized yet is initialized with the seed (DJL's default initializers);
 * an initialized one keeps its weights. {@link Builder#build} runs one forward pass of a batch of zeros,
 * so a block that does not take the input shape, or returns another shape than the task needs,
 * fails there with both shapes in the message.
 *
 * <p>Checkpoints hold every parameter as {@code model.<name>}, in name order: the block's
 * parameter paths ({@code 01Linear_weight}), or {@code <prefix>.<param>} for the layers given a
 * {@linkplain Builder#name name}; BatchNorm's running statistics too (they are DJL parameters
 * that need no gradient), and any {@linkplain Builder#buffer buffer} the block keeps elsewhere.
 * Optimizers update the {@linkplain #trainableParameters() trainable} ones only.
 *
 * <p>Val steps report {@code loss} and the additive statistics of the {@linkplain Metric metrics};
 * {@link #summarize} turns their epoch averages into the metrics. Train steps report {@code loss}.
 * Every array a step creates is freed at its end. Called from the runner's thread only.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class DjlModel implements Model {
    private static final Logger LOG = LoggerFactory.getLogger("stride");
    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final DataSpec spec;
    private final Loss loss;
    private final List<Metric> metrics;
    private final Map<String, NDArray> state;
    private final Map<String, NDArray> trainable;
    /** Float32 state it keeps but does not learn (BatchNorm's running statistics...), in parameter order: {@link #editBuffers}. */
    private final List<NDArray> buffers;
    /** The statistics each metric reports, learnt from the check batch at build time. */
    private final Map<Metric, Set<String>> statistics = new LinkedHashMap<>();
    private final Set<String> hidden = new LinkedHashSet<>();
    private final String title;
    private final Map<Block, String> layerNames = new IdentityHashMap<>();
    private Shape outputShape = new Shape();
    /** PyTorch's intra-op threads for its steps (0: the thread's own), chosen by {@link Djl#threadsFor(boolean)}. */
    private final int threads;
    /** The kernel of a convolution whose input gradients oneDNN may get wrong, or null ({@link ConvolutionGradients}). */
    private final @Nullable Shape paddedKernel;
    /** Whether its backward passes run without oneDNN: decided at its first train step. */
    private @Nullable Boolean exactBackward;

    private DjlModel(Builder b, DataSpec spec) {
        this.block = b.block;
        this.spec = spec;
        this.title = b.title != null ? b.title : b.block.getClass().getSimpleName();
        b.layers.forEach((prefix, layer) -> layerNames.put(layer, prefix));
        this.loss = b.loss != null ? b.loss : spec.isRegression() ? Losses.mse() : Losses.softmaxCrossEntropy();
        this.metrics = List.copyOf(b.metrics != null ? b.metrics
                : spec.isRegression() ? List.of(Metric.mae(), Metric.rmse(), Metric.r2()) : List.of(Metric.accuracy()));
        this.manager = b.manager != null ? b.manager : Djl.manager().newSubManager();
        try {
            Djl.seed(b.seed);
            if (!block.isInitialized()) {
                try {
                    block.initialize(manager, DataType.FLOAT32, batchShape(1));
                } catch (RuntimeException e) {
                    throw new BadInputException("the model does not take samples of shape "
                            + Arrays.toString(spec.sampleShape()) + ": " + firstLine(e), e);
                }
            }
            this.store = new ParameterStore(manager, false);
            Map<Parameter, String> names = new IdentityHashMap<>();
            b.layers.forEach((prefix, layer) -> {
                for (Pair<String, Parameter> p : layer.getParameters()) {
                    names.put(p.getValue(), prefix + "." + p.getKey());
                }
            });
            names.putAll(b.names);
            Map<String, NDArray> all = new TreeMap<>();
            Map<String, NDArray> train = new TreeMap<>();
            boolean kernels = false; // convolution kernels: weights of rank 3 (1-d) to 5 (3-d)
            List<NDArray> inOrder = new ArrayList<>();
            List<NDArray> kept = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter param = p.getValue();
                inOrder.add(param.getArray());
                if (!param.requiresGradient() && param.getArray().getDataType() == DataType.FLOAT32) {
                    kept.add(param.getArray()); // a running statistic, not a frozen parameter
                }
                kernels |= param.getArray().getShape().dimension() >= 3;
                String name = names.getOrDefault(param, p.getKey());
                if (all.put(name, param.getArray()) != null) {
                    throw new IllegalArgumentException("two parameters are named " + name);
                }
                if (param.requiresGradient()) {
                    if (b.trainable.test(name)) {
                        train.put(name, param.getArray());
                    } else {
                        param.freeze(true);
                    }
                }
            }
            b.buffers.forEach((name, array) -> {
                if (all.put(name, array) != null) {
                    throw new IllegalArgumentException("the buffer " + name + " has the name of a parameter");
                }
                if (array.getDataType() == DataType.FLOAT32) {
                    kept.add(array);
                }
            });
            this.buffers = List.copyOf(kept);
            this.state = Collections.unmodifiableMap(all);
            this.trainable = Collections.unmodifiableMap(train);
            this.threads = Djl.threadsFor(kernels);
            this.paddedKernel = ConvolutionGradients.paddedKernel(inOrder);
            Djl.useThreads(threads);
            check();
        } catch (RuntimeException e) {
            if (b.manager == null) {
                manager.close();
            }
            throw e;
        }
    }

    /** A builder for a model of {@code block}. */
    public static Builder builder(Block block) {
        return new Builder(block);
    }

    private Shape batchShape(long n) {
        long[] sample = spec.sampleShape();
        long[] shape = new long[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return new Shape(shape);
    }

    private static String firstLine(Throwable e) {
        return Djl.reason(e);
    }

    /**
     * One forward pass of a batch of 2 zero samples: the block takes the input shape and returns
     * what the task needs. Also learns which statistics the metrics report.
     */
    private void check() {
        long[] want = {2, spec.outputs()};
        Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                NDList out;
                try {
                    out = block.forward(store, new NDList(manager.zeros(batchShape(2))), false);
                } catch (RuntimeException e) {
                    throw new BadInputException("the model does not take samples of shape " + Arrays.toString(spec.sampleShape())
                            + " (tried a batch " + Arrays.toString(batchShape(2).getShape()) + "): " + firstLine(e), e);
                }
                if (out.size() != 1) {
                    throw new BadInputException("the model returns " + out.size() + " arrays; a Stride model returns one,"
                            + " [batch, outputs]");
                }
                outputShape = out.head().getShape();
                long[] got = outputShape.getShape();
                boolean binary = !spec.isRegression() && spec.numClasses() == 2 && !(loss instanceof SoftmaxCrossEntropyLoss);
                boolean fits = got.length >= 1 && got.length <= 2 && got[0] == 2
                        && ((got.length == 2 ? got[1] : 1) == want[1] || binary && (got.length == 1 || got[1] == 1));
                if (!fits) {
                    throw new BadInputException("the model outputs " + Arrays.toString(got) + " for a batch of 2 samples of"
                            + " shape " + Arrays.toString(spec.sampleShape()) + ", but its task needs " + Arrays.toString(want)
                            + " (" + (spec.isRegression() ? spec.targets() + " regression targets" : spec.numClasses() + " classes")
                            + ")");
                }
                NDArray output = outputs(out);
                NDArray target = spec.isRegression() ? manager.zeros(new Shape(2, spec.targets()))
                        : manager.zeros(new Shape(2), DataType.INT64);
                for (Metric m : metrics) {
                    Set<String> keys = new LinkedHashSet<>(m.statistics(output, target).keySet());
                    statistics.put(m, keys);
                    hidden.addAll(keys);
                }
                metrics.forEach(m -> hidden.remove(m.name()));
            }
        });
    }

    /** The block's output as {@code [n, outputs]}. */
    private static NDArray outputs(NDList out) {
        NDArray o = out.singletonOrThrow();
        return o.getShape().dimension() == 1 ? o.reshape(-1, 1) : o;
    }

    /**
     * Its layers with output shapes and parameter counts: the block's children (output shapes
     * where DJL can tell them), or for a block without children (a TorchScript module) its
     * parameters grouped by the name before their last dot ({@code conv1.weight} and
     * {@code conv1.bias} are layer {@code conv1}).
     */
    @Override
    public ModelSummary summary() {
        Set<NDArray> train = Collections.newSetFromMap(new IdentityHashMap<>());
        train.addAll(trainable.values());
        ModelSummary whole = BlockSummary.of(title, block, batchShape(1), outputShape, layerNames, train);
        if (!block.getChildren().isEmpty()) {
            return whole;
        }
        Map<String, Long> groups = new LinkedHashMap<>();
        Set<NDArray> params = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair<String, Parameter> p : block.getParameters()) {
            params.add(p.getValue().getArray());
        }
        state.forEach((name, array) -> {
            if (params.contains(array)) {
                int dot = name.lastIndexOf('.');
                groups.merge(dot > 0 ? name.substring(0, dot) : name, array.size(), Long::sum);
            }
        });
        List<ModelSummary.Layer> layers = new ArrayList<>();
        groups.forEach((name, n) -> layers.add(new ModelSummary.Layer(name, "", null, n)));
        return new ModelSummary(title, layers, whole.input(), whole.output(), whole.parameters(), whole.trainable());
    }

    /** The block it trains. */
    public Block block() {
        return block;
    }

    /**
     * Every array of the model's state by its checkpoint name (without the {@code model.} prefix),
     * in name order: parameters, frozen ones and buffers included.
     */
    public Map<String, NDArray> parameters() {
        return state;
    }

    /** The parameters the optimizers update, by name, in name order: those that need a gradient and are not frozen. */
    public Map<String, NDArray> trainableParameters() {
        return trainable;
    }

    /** The samples it takes and what it outputs: classes (named when the task names them) or regression targets. */
    @Override
    public DataSpec dataSpec() {
        return spec;
    }

    /** The metrics its val steps report, in order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** Views of its float32 buffers' own memory (BatchNorm's running statistics; frozen parameters are not among them). */
    @Override
    public void editBuffers(Consumer<List<FloatBuffer>> action) {
        List<FloatBuffer> views = new ArrayList<>(buffers.size());
        for (NDArray b : buffers) {
            views.add(DjlTensors.view(b).asFloatBuffer());
        }
        action.accept(views);
    }

    @Override
    public StepOutput trainStep(Batch batch, long stepSeed) {
        DjlBatch b = cast(batch);
        Djl.useThreads(threads);
        boolean exact = paddedKernel != null && exactBackward(paddedKernel, b.size());
        try (NDScope scope = new NDScope(); GradientCollector gc = Djl.engine().newGradientCollector()) {
            Djl.seed(stepSeed);
            NDArray out = outputs(block.forward(store, new NDList(b.x()), true));
            NDArray l = loss.evaluate(new NDList(b.y()), new NDList(out));
            ConvolutionGradients.backward(gc, l, exact);
            return new StepOutput(Map.of("loss", (double) DjlTensors.scalar(l)), b.size());
        } catch (EngineException e) {
            throw labelOutOfRange(e);
        }
    }

    /**
     * Whether its backward passes run without oneDNN, decided at the first train step (oneDNN's input
     * gradients checked on this CPU for {@code kernel}, {@link ConvolutionGradients#oneDnnWrong}) and said then.
     */
    private boolean exactBackward(Shape kernel, long batch) {
        if (exactBackward == null) {
            exactBackward = ConvolutionGradients.oneDnnWrong(kernel, batch, threads);
            long channels = kernel.get(0);
            if (!exactBackward) {
                LOG.debug("Gradients: oneDNN's input gradients for a convolution with {} output channels agree with libtorch's own"
                        + " kernels on this CPU: backward passes keep oneDNN", channels);
            } else if (!ConvolutionGradients.available()) {
                // nothing to turn off: said in a warning when libtorch's switch was looked for
                return exactBackward;
            } else if (ConvolutionGradients.exactAsked()) {
                LOG.info("Gradients: -D{}=exact: backward passes run without oneDNN (a convolution after the first has {} output"
                        + " channels, not a multiple of {})", ConvolutionGradients.PROPERTY, channels, ConvolutionGradients.BLOCK);
            } else {
                LOG.info("Gradients: oneDNN gets the input gradients of a convolution with {} output channels wrong on this CPU"
                        + " (libtorch 2.7.1; checked against libtorch's own kernels): backward passes run without oneDNN (slower;"
                        + " output channels in multiples of {} keep it)", channels, ConvolutionGradients.BLOCK);
            }
        }
        return exactBackward;
    }

    @Override
    public StepOutput valStep(Batch batch) {
        DjlBatch b = cast(batch);
        try {
            return Djl.noGrad(() -> {
                try (NDScope scope = new NDScope()) {
                    NDArray out = forward(b);
                    Map<String, Double> scalars = new LinkedHashMap<>();
                    scalars.put("loss", (double) DjlTensors.scalar(loss.evaluate(new NDList(b.y()), new NDList(out))));
                    scalars.putAll(Metrics.statistics(metrics, out, b.y()));
                    return new StepOutput(scalars, b.size());
                }
            });
        } catch (EngineException e) {
            throw labelOutOfRange(e);
        }
    }

    private NDArray forward(DjlBatch b) {
        Djl.useThreads(threads);
        return outputs(block.forward(store, new NDList(b.x()), false));
    }

    /**
     * A label the data set did not declare (its spec promised fewer classes) reaches the loss:
     * PyTorch's "Target N is out of bounds" becomes a message about the data, not an internal error.
     */
    private RuntimeException labelOutOfRange(EngineException e) {
        String m = String.valueOf(e.getMessage());
        if (!spec.isRegression() && (m.contains("out of bounds") || m.contains("Target"))) {
            return new BadInputException("a label of the data is outside the model's classes 0.." + (spec.numClasses() - 1)
                    + " (" + firstLine(e) + "): check the data's labels and model.num-classes", e);
        }
        return e;
    }

    /**
     * The epoch's averages with the metrics in place of their statistics: other scalars (loss,
     * time ...) as they are, then each metric whose statistics are all there.
     */
    @Override
    public Map<String, Double> summarize(Map<String, Double> averages) {
        Map<String, Double> out = new LinkedHashMap<>();
        averages.forEach((k, v) -> {
            if (!hidden.contains(k)) {
                out.put(k, v);
            }
        });
        statistics.forEach((m, keys) -> {
            if (averages.keySet().containsAll(keys)) {
                out.put(m.name(), m.value(averages));
            }
        });
        return out;
    }

    @Override
    public Predictions predict(Batch batch) {
        if (spec.isRegression()) {
            throw new UnsupportedOperationException("a regression model predicts values, not classes: use infer");
        }
        DjlBatch b = cast(batch);
        return Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                NDArray out = forward(b);
                long[] predicted = (out.getShape().get(1) == 1 ? out.reshape(-1).gt(0).toType(DataType.INT64, false)
                        : out.argMax(1)).toLongArray();
                long[] labels = b.y().toType(DataType.INT64, false).toLongArray();
                int[] p = new int[predicted.length];
                int[] l = new int[labels.length];
                for (int i = 0; i < p.length; i++) {
                    p[i] = (int) predicted[i];
                    l[i] = (int) labels[i];
                }
                return new Predictions(l, p);
            }
        });
    }

    /** Class probabilities (softmax of the logits; sigmoid of a single logit) or regression values. */
    @Override
    public float[][] infer(Batch batch) {
        DjlBatch b = cast(batch);
        return Djl.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                NDArray out = forward(b);
                if (!spec.isRegression()) {
                    if (out.getShape().get(1) == 1) {
                        NDArray p = ai.djl.nn.Activation.sigmoid(out);
                        out = p.neg().add(1).concat(p, 1);
                    } else {
                        out = out.softmax(1);
                    }
                }
                return rows(out);
            }
        });
    }

    /** The batch's true targets as numbers: the class label, or the regression values, per sample. */
    @Override
    public float[][] targets(Batch batch) {
        DjlBatch b = cast(batch);
        try (NDScope scope = new NDScope()) {
            NDArray y = b.y().toType(DataType.FLOAT32, false);
            return rows(y.getShape().dimension() == 1 ? y.reshape(-1, 1) : y);
        }
    }

    private static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        float[] v = a.toFloatArray();
        int k = n == 0 ? 0 : v.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(v, i * k, (i + 1) * k);
        }
        return out;
    }

    @Override
    public void saveState(Checkpoint.Section section) {
        state.forEach((name, array) -> section.putTensor(name, DjlTensors.toTensor(array)));
    }

    @Override
    public void loadState(Checkpoint.Section section) {
        List<String> missing = new ArrayList<>();
        state.forEach((name, array) -> {
            Tensor t = section.tensor(name);
            if (t == null) {
                missing.add(name);
            } else {
                Djl.noGrad(() -> DjlTensors.copyInto(t, array, "model." + name));
            }
        });
        if (!missing.isEmpty()) {
            throw new BadInputException("the checkpoint lacks parameters of this model: model." + String.join(", model.", missing)
                    + " (it has " + section.tensorNames() + "). Was it written for another model config?");
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

    /** Frees the model's arrays (its manager). */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * Builds a {@link DjlModel}: the input shape and the task are required; the rest has
     * defaults.
     */
    public static final class Builder {
        private final Block block;
        private long @Nullable [] inputShape;
        private @Nullable DataSpec task;
        private @Nullable Loss loss;
        private @Nullable List<Metric> metrics;
        private long seed;
        private final Map<String, Block> layers = new LinkedHashMap<>();
        private final Map<Parameter, String> names = new IdentityHashMap<>();
        private final Map<String, NDArray> buffers = new LinkedHashMap<>();
        private Predicate<String> trainable = name -> true;
        private @Nullable NDManager manager;
        private @Nullable String title;

        private Builder(Block block) {
            this.block = block;
        }

        /** The shape of one input sample, without the batch dimension, e.g. {@code 1, 28, 28}. */
        public Builder inputShape(long... shape) {
            this.inputShape = shape.clone();
            return this;
        }

        /** Classification into {@code numClasses} classes: int64 labels, one logit per class. */
        public Builder classes(int numClasses) {
            this.task = new DataSpec(new long[0], numClasses);
            return this;
        }

        /** Classification into named classes, in class order. */
        public Builder classes(List<String> classNames) {
            this.task = DataSpec.classes(new long[0], classNames);
            return this;
        }

        /** Regression: float32 targets {@code [n, targets]}, one output per target. */
        public Builder regression(int targets) {
            this.task = DataSpec.regression(new long[0], targets);
            return this;
        }

        /** Input shape and task at once, as a data loader's {@link dev.stride.runner.api.DataLoader#spec()} gives them. */
        public Builder dataSpec(DataSpec spec) {
            this.inputShape = spec.sampleShape();
            this.task = spec;
            return this;
        }

        /**
         * The loss, from the targets ({@code labels}) and the output ({@code predictions}); see
         * {@link Losses}. Default: softmax cross-entropy for classification, MSE for regression.
         */
        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /** The metrics val steps report. Default: accuracy for classification; MAE, RMSE and R² for regression. */
        public Builder metrics(Metric... metrics) {
            this.metrics = List.of(metrics);
            return this;
        }

        /** The metrics val steps report, in order. */
        public Builder metrics(List<Metric> metrics) {
            this.metrics = List.copyOf(metrics);
            return this;
        }

        /** Seeds the initial weights of a block that is not initialized yet. Default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** What its {@link DjlModel#summary() summary} calls the model, e.g. {@code mlp}; default: the block's class name. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * Names the parameters of {@code layer}, a block inside the model, {@code <prefix>.<its parameter path>}
         * (e.g. {@code fc1.weight}) instead of their path in the whole block.
         */
        public Builder name(String prefix, Block layer) {
            layers.put(prefix, layer);
            return this;
        }

        /** Names one parameter of the block, e.g. {@code 0.running_mean}; this wins over a layer's {@link #name(String, Block) prefix}. */
        public Builder name(String name, Parameter parameter) {
            names.put(parameter, name);
            return this;
        }

        /**
         * A tensor of the model's state that is not one of the block's parameters (e.g. a
         * TorchScript module's BatchNorm statistics): saved in checkpoints as {@code model.<name>}
         * and restored in place, never trained.
         */
        public Builder buffer(String name, NDArray array) {
            buffers.put(name, array);
            return this;
        }

        /**
         * Which parameters, by name, the optimizers train; the others are frozen (no gradient, no
         * update) but still saved. Default: all that need a gradient.
         */
        public Builder trainable(Predicate<String> byName) {
            this.trainable = byName;
            return this;
        }

        /**
         * The manager the model initializes the block's arrays in, and closes with the model.
         * Default: a new one.
         */
        public Builder manager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Initializes the block if needed and checks it with a batch of zeros.
         *
         * @throws IllegalStateException when the input shape or the task is missing
         * @throws BadInputException when the block does not take the input shape or returns another
         *     shape than the task needs
         */
        public DjlModel build() {
            if (inputShape == null || task == null) {
                throw new IllegalStateException("a DjlModel needs its input shape and its task (classes or regression)");
            }
            DataSpec spec = new DataSpec(inputShape, task.numClasses(), task.classNames(), task.targets());
            return new DjlModel(this, spec);
        }
    }
}
