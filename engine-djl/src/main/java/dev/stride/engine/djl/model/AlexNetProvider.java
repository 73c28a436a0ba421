package dev.stride.engine.djl.model;

import ai.djl.basicmodelzoo.cv.classification.AlexNet;
import ai.djl.nn.Block;
import com.typesafe.config.Config;
import dev.stride.runner.api.support.Settings;

/** {@code alexnet}: DJL's AlexNet; images of at least 67x67 (224x224 is the usual size). */
public final class AlexNetProvider extends ZooModelProvider {
    public AlexNetProvider() {
        super("alexnet", "DJL model-zoo AlexNet for [C, H, W] images of at least 67x67: dropout", 67);
    }

    @Override
    Block block(Config options, long channels, long height, long width, int outputs) {
        float dropout = (float) Settings.doubleIn(options, "dropout", 0, 0.99);
        return AlexNet.builder().setDropOutRate(dropout).setOutSize(outputs).build();
    }
}
