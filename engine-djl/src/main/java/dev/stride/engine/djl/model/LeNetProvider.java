package dev.stride.engine.djl.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.SpiVersion;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lenet}: LeNet-5 with ReLU and max pooling: conv 5x5 (padding 2), pool, conv 5x5, pool,
 * then dense layers. Needs image samples {@code [channels, height, width]}.
 */
public final class LeNetProvider implements ModelProvider {
    @Override
    public String name() {
        return "lenet";
    }

    @Override
    public String description() {
        return "LeNet-5 (ReLU, max pooling) for [C, H, W] images";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Model create(Config options, DataSpec data, long seed) {
        long[] s = data.sampleShape();
        if (s.length != 3 || s[1] < 12 || s[2] < 12) {
            throw new BadInputException("model lenet needs image samples [channels, height, width] of at least 12x12, but the"
                    + " train data gives " + Arrays.toString(s) + ": use model.type = mlp, or image data");
        }
        ModelOptions o = ModelOptions.of(options, data);
        int[] channels = ModelOptions.positive(options, "channels");
        int[] hidden = ModelOptions.positive(options, "hidden");
        if (channels.length != 2) {
            throw new BadInputException("model lenet: channels must list 2 values, got " + Arrays.toString(channels));
        }
        long h = (s[1] / 2 - 4) / 2;
        long w = (s[2] / 2 - 4) / 2;
        int[] dense = java.util.Arrays.copyOf(hidden, hidden.length + 1);
        dense[hidden.length] = o.outputs();
        long convs = s[0] * channels[0] * 25L + channels[0] + (long) channels[0] * channels[1] * 25 + channels[1];
        ModelOptions.checkSize(options, "lenet", convs + ModelOptions.denseParameters(channels[1] * h * w, dense));
        SequentialBlock net = new SequentialBlock();
        Map<String, Block> layers = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            Block conv = Conv2d.builder()
                    .setKernelShape(new Shape(5, 5))
                    .optPadding(i == 0 ? new Shape(2, 2) : new Shape(0, 0))
                    .setFilters(channels[i])
                    .build();
            layers.put("conv" + (i + 1), conv);
            net.add(conv).add(MaxPooling.afterRelu(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0))); // ReLU, then 2 x 2 max pooling
        }
        net.add(Blocks.batchFlattenBlock());
        o.addDenseLayers(net, layers, hidden);
        return o.build(net, layers, seed);
    }
}
