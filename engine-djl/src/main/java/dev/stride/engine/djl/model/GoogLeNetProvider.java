package dev.stride.engine.djl.model;

import ai.djl.basicmodelzoo.cv.classification.GoogLeNet;
import ai.djl.nn.Block;
import com.typesafe.config.Config;

/** {@code googlenet}: DJL's GoogLeNet (Inception v1, without auxiliary classifiers); any image size. */
public final class GoogLeNetProvider extends ZooModelProvider {
    public GoogLeNetProvider() {
        super("googlenet", "DJL model-zoo GoogLeNet (Inception v1) for [C, H, W] images", 1);
    }

    @Override
    Block block(Config options, long channels, long height, long width, int outputs) {
        return GoogLeNet.builder().setOutSize(outputs).build();
    }
}
