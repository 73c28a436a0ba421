package dev.stride.engine.djl.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Settings;
import java.util.List;
import java.util.Map;

/** Options every classifier shares. */
record ModelOptions(int classes, double dropout, int[] topk) {
    static ModelOptions of(Config options, DataSpec data) {
        int classes = Settings.intIn(options, "num-classes", 0, 1 << 16);
        if (classes == 0) {
            classes = data.numClasses();
        }
        double dropout = Settings.doubleIn(options, "dropout", 0, 0.99);
        List<Integer> k = options.getIntList("topk");
        for (int v : k) {
            if (v < 1) {
                throw new BadInputException(Settings.where(options.getValue("topk").origin()) + "topk: " + v + " is not >= 1");
            }
        }
        return new ModelOptions(classes, dropout, k.stream().mapToInt(Integer::intValue).toArray());
    }

    /** What the model is built for: the data's samples, into {@link #classes()} classes (named when the data names that many). */
    DataSpec spec(DataSpec data) {
        return data.classNames().size() == classes ? data : new DataSpec(data.sampleShape(), classes);
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
     * the output layer of {@code classes()} units; registers them in {@code layers} by name.
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
        Block out = Linear.builder().setUnits(classes).build();
        layers.put("fc" + (hidden.length + 1), out);
        net.add(out);
    }
}
