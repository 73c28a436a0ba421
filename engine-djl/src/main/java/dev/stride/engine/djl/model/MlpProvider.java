package dev.stride.engine.djl.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.typesafe.config.Config;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.SpiVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code mlp}: flatten, then dense layers with ReLU (and dropout), then a dense output layer. */
public final class MlpProvider implements ModelProvider {
    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "multi-layer perceptron: hidden = [256, 128], ReLU, optional dropout";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Model create(Config options, DataSpec data, long seed) {
        ModelOptions o = ModelOptions.of(options, data);
        int[] hidden = ModelOptions.positive(options, "hidden");
        int[] all = java.util.Arrays.copyOf(hidden, hidden.length + 1);
        all[hidden.length] = o.classes();
        ModelOptions.checkSize(options, "mlp", ModelOptions.denseParameters(data.sampleSize(), all));
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock(data.sampleSize()));
        Map<String, Block> layers = new LinkedHashMap<>();
        for (int i = 0; i < hidden.length; i++) {
            Block fc = Linear.builder().setUnits(hidden[i]).build();
            layers.put("fc" + (i + 1), fc);
            net.add(fc).add(Activation.reluBlock());
            if (o.dropout() > 0) {
                net.add(Dropout.builder().optRate((float) o.dropout()).build());
            }
        }
        Block out = Linear.builder().setUnits(o.classes()).build();
        layers.put("fc" + (hidden.length + 1), out);
        net.add(out);
        return new ClassifierModel(net, layers, data, seed, o.topk(), o.dropout() > 0);
    }
}
