package dev.stride.engine.djl.model;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
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
        all[hidden.length] = o.outputs();
        ModelOptions.checkSize(options, "mlp", ModelOptions.denseParameters(data.sampleSize(), all));
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock(data.sampleSize()));
        Map<String, Block> layers = new LinkedHashMap<>();
        o.addDenseLayers(net, layers, hidden);
        return o.build(net, layers, seed);
    }
}
