package dev.stride.engine.djl.model;

import ai.djl.basicmodelzoo.cv.classification.VGG;
import ai.djl.nn.Block;
import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.support.Settings;
import java.util.Map;

/** {@code vgg}: DJL's VGG with the convolutions of VGG-11, 13, 16 or 19 ({@code layers}); images of at least 32x32. */
public final class VggProvider extends ZooModelProvider {
    /** Per depth, the blocks {number of 3x3 convolutions, channels}, as in the VGG paper's configurations A, B, D, E. */
    private static final Map<Integer, int[][]> ARCH = Map.of(
            11, new int[][] {{1, 64}, {1, 128}, {2, 256}, {2, 512}, {2, 512}},
            13, new int[][] {{2, 64}, {2, 128}, {2, 256}, {2, 512}, {2, 512}},
            16, new int[][] {{2, 64}, {2, 128}, {3, 256}, {3, 512}, {3, 512}},
            19, new int[][] {{2, 64}, {2, 128}, {4, 256}, {4, 512}, {4, 512}});

    public VggProvider() {
        super("vgg", "DJL model-zoo VGG for [C, H, W] images of at least 32x32: layers 11, 13, 16 or 19", 32);
    }

    @Override
    Block block(Config options, long channels, long height, long width, int outputs) {
        int layers = Settings.intIn(options, "layers", 1, 1000);
        int[][] arch = ARCH.get(layers);
        if (arch == null) {
            throw new BadInputException(Settings.where(options, "layers") + "model vgg: layers = " + layers
                    + ": VGG has 11, 13, 16 or 19 layers");
        }
        return VGG.builder().setNumLayers(layers).setConvArch(arch).setOutSize(outputs).build();
    }
}
