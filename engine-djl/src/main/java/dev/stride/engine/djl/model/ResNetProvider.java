package dev.stride.engine.djl.model;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.support.Settings;
import java.util.List;

/**
 * {@code resnet}: DJL's ResNetV1. For images of at most 28 pixels high it is the CIFAR form (3
 * stages of basic blocks, 16/32/64 filters) whose depths are 6n + 2 (20, 32, 44, 56, 110 ...);
 * larger images take 18, 34, 50, 101, 152 (4 stages of bottleneck units, so DJL's ResNet-18 has
 * 0.9M parameters, not torchvision's 11M). Up to 32 pixels the stem is one 3x3 convolution;
 * beyond, ImageNet's 7x7/2 convolution and max pooling.
 */
public final class ResNetProvider extends ZooModelProvider {
    private static final List<Integer> LARGE = List.of(18, 34, 50, 101, 152, 200, 269);

    public ResNetProvider() {
        super("resnet", "DJL model-zoo ResNetV1 for [C, H, W] images: layers (18, 34, 50 ...; 20, 32, 44, 56 up to 28x28)", 1);
    }

    @Override
    Block block(Config options, long channels, long height, long width, int outputs) {
        int layers = Settings.intIn(options, "layers", 1, 1000);
        boolean small = height <= 28;
        boolean ok = small ? (layers >= 164 ? (layers - 2) % 9 == 0 : layers >= 8 && (layers - 2) % 6 == 0) : LARGE.contains(layers);
        if (!ok) {
            throw new BadInputException(Settings.where(options, "layers") + "model resnet: layers = " + layers + " is not a depth DJL's"
                    + " ResNetV1 builds for images " + height + " pixels high: "
                    + (small ? "up to 28 pixels it builds the CIFAR form, with 6n + 2 layers (20, 32, 44, 56, 110; or 9n + 2"
                            + " from 164); 18, 34 and 50-style depths need images larger than 28x28"
                            : "above 28 pixels it builds 18, 34, 50, 101, 152, 200 or 269 layers"));
        }
        return ResNetV1.builder().setImageShape(new Shape(channels, height, width)).setNumLayers(layers).setOutSize(outputs)
                .build();
    }
}
