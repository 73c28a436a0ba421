package dev.stride.engine.djl.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.loss.Loss;
import com.typesafe.config.Config;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.Losses;
import dev.stride.engine.djl.Metric;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.support.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options every model provider shares: {@code num-classes} (0 = the data's), {@code topk},
 * {@code loss} (null = the task's default), and for the dense ones {@code dropout}. The task
 * (classification or regression) is the data's.
 */
record ModelOptions(String title, DataSpec spec, double dropout, int[] topk, Loss loss) {
    static final List<String> LOSSES = List.of("cross-entropy", "mse", "l1", "bce-with-logits");

    static ModelOptions of(Config options, DataSpec data) {
        DataSpec spec;
        if (data.isRegression()) {
            spec = DataSpec.regression(data.sampleShape(), data.targets());
        } else {
            int classes = Settings.intIn(options, "num-classes", 0, 1 << 16);
            if (classes == 0) {
                classes = data.numClasses();
            }
            // named when the data names that many classes
            spec = data.classNames().size() == classes ? data : new DataSpec(data.sampleShape(), classes);
        }
        double dropout = options.hasPath("dropout") ? Settings.doubleIn(options, "dropout", 0, 0.99) : 0;
        List<Integer> k = options.hasPath("topk") ? options.getIntList("topk") : List.of(1);
        for (int v : k) {
            if (v < 1) {
                throw new BadInputException(Settings.where(options.getValue("topk").origin()) + "topk: " + v + " is not >= 1");
            }
        }
        if (data.isRegression() && k.stream().anyMatch(v -> v > 1)) {
            throw new BadInputException(Settings.where(options.getValue("topk").origin()) + "topk: " + k
                    + " is for classification, but the data has regression targets; remove it");
        }
        String title = options.hasPath("type") ? options.getString("type") : "model";
        return new ModelOptions(title, spec, dropout, k.stream().mapToInt(Integer::intValue).toArray(), loss(options, spec));
    }

    private static Loss loss(Config options, DataSpec spec) {
        if (!options.hasPath("loss")) {
            return spec.isRegression() ? Losses.mse() : Losses.softmaxCrossEntropy();
        }
        String name = options.getString("loss");
        if (!LOSSES.contains(name)) {
            throw new BadInputException(Settings.where(options.getValue("loss").origin()) + "loss: '" + name
                    + "' is not a loss" + Settings.didYouMean(name, LOSSES) + "; use " + String.join(", ", LOSSES));
        }
        if (name.equals("cross-entropy") && spec.isRegression()) {
            throw new BadInputException(Settings.where(options.getValue("loss").origin())
                    + "loss: cross-entropy needs class labels, but the data has regression targets; use mse or l1");
        }
        if ((name.equals("mse") || name.equals("l1")) && !spec.isRegression()) {
            throw new BadInputException(Settings.where(options.getValue("loss").origin()) + "loss: " + name
                    + " needs regression targets, but the data has class labels; use cross-entropy (or bce-with-logits"
                    + " for two classes)");
        }
        return Losses.named(name);
    }

    /** What the model outputs per sample: one logit per class or one value per target. */
    int outputs() {
        return spec.outputs();
    }

    /** Accuracy and the top-k accuracies asked for (classification), or MAE, RMSE and R² (regression). */
    List<Metric> metrics() {
        if (spec.isRegression()) {
            return List.of(Metric.mae(), Metric.rmse(), Metric.r2());
        }
        List<Metric> out = new ArrayList<>(List.of(Metric.accuracy()));
        for (int k : topk) {
            if (k > 1) {
                out.add(Metric.topK(k));
            }
        }
        return out;
    }

    /** A model of {@code net}, its layers named, with this task, loss and metrics. */
    DjlModel build(Block net, Map<String, Block> layers, long seed) {
        DjlModel.Builder b = DjlModel.builder(net).title(title).dataSpec(spec).loss(loss).metrics(metrics()).seed(seed);
        layers.forEach(b::name);
        return b.build();
    }

    /** Layer sizes in 1..65536, at most 64 of them. */
    static int[] positive(Config options, String key) {
        List<Integer> v = options.getIntList(key);
        if (v.size() > 64) {
            throw new BadInputException(Settings.where(options.getValue(key).origin()) + key + ": " + v.size()
                    + " layers; at most 64");
        }
        for (int x : v) {
            if (x < 1 || x > 1 << 16) {
                throw new BadInputException(Settings.where(options.getValue(key).origin()) + key + ": " + v
                        + " must hold sizes in 1..65536");
            }
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /** At most 2^28 parameters (1 GiB of floats). */
    static final long MAX_PARAMETERS = 1L << 28;

    /** Dense layers from {@code in} inputs through {@code sizes}: weights and biases. */
    static long denseParameters(long in, int[] sizes) {
        long total = 0;
        long prev = in;
        for (int s : sizes) {
            total += prev * s + s;
            prev = s;
        }
        return total;
    }

    /** @throws BadInputException when a model of {@code parameters} would not fit in memory */
    static void checkSize(Config options, String model, long parameters) {
        if (parameters > MAX_PARAMETERS) {
            throw new BadInputException(Settings.where(options.origin()) + "model " + model + " would have " + parameters
                    + " parameters, more than the " + MAX_PARAMETERS + " Stride allows in memory: use smaller layers");
        }
    }

    /**
     * Appends the dense layers {@code fc<first>..}: each hidden size with ReLU (and dropout), then
     * the output layer of {@link #outputs()} units; registers them in {@code layers} by name.
     */
    void addDenseLayers(SequentialBlock net, Map<String, Block> layers, int[] hidden) {
        for (int i = 0; i < hidden.length; i++) {
            Block fc = Linear.builder().setUnits(hidden[i]).build();
            layers.put("fc" + (i + 1), fc);
            net.add(fc).add(Activation.reluBlock());
            if (dropout > 0) {
                net.add(Dropout.builder().optRate((float) dropout).build());
            }
        }
        Block out = Linear.builder().setUnits(outputs()).build();
        layers.put("fc" + (hidden.length + 1), out);
        net.add(out);
    }
}
