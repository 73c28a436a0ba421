package dev.stride.engine.djl.model;

import ai.djl.nn.Block;
import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.util.Arrays;
import java.util.Map;

/**
 * The image classifiers of {@code ai.djl:model-zoo} (package
 * {@code ai.djl.basicmodelzoo.cv.classification}), built by their builders for the data's image
 * shape and classes, initialized from the seed with DJL's default initializers. Only the blocks
 * are used: no model zoo is looked up and nothing is downloaded. Parameter names are DJL's block
 * paths ({@code 01Conv2d_weight}, {@code 02BatchNorm_runningMean} ...).
 */
abstract class ZooModelProvider implements ModelProvider {
    private final String name;
    private final String description;
    private final long minSize;

    /** @param minSize the smallest image height and width the architecture takes (0: any) */
    ZooModelProvider(String name, String description, long minSize) {
        this.name = name;
        this.description = description;
        this.minSize = minSize;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int spiVersion() {
        return SpiVersion.CURRENT;
    }

    /** The architecture's block for images {@code [channels, height, width]} and {@code outputs} outputs. */
    abstract Block block(Config options, long channels, long height, long width, int outputs);

    @Override
    public final Model create(Config options, DataSpec data, long seed) {
        long[] s = data.sampleShape();
        String where = Settings.where(options.origin());
        if (s.length != 3) {
            throw new BadInputException(where + "model " + name + " needs image samples [channels, height, width], but the"
                    + " data gives " + Arrays.toString(s) + ": use image data, or model.type = mlp or sequential");
        }
        if (s[1] < minSize || s[2] < minSize) {
            throw new BadInputException(where + "model " + name + " needs images of at least " + minSize + "x" + minSize
                    + " pixels (its convolutions and poolings shrink them below 1 pixel otherwise), but the data's are "
                    + s[1] + "x" + s[2] + ": resize the images, or use resnet, mobilenet or googlenet");
        }
        ModelOptions o = ModelOptions.of(options, data);
        Block net;
        try {
            net = block(options, s[0], s[1], s[2], o.outputs());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + "model " + name + ": " + e.getMessage(), e);
        }
        try {
            return o.build(net, Map.of(), seed);
        } catch (BadInputException e) {
            throw new BadInputException(where + "model " + name + ": " + e.getMessage(), e);
        }
    }
}
