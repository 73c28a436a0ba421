package dev.stride.engine.djl.model;

import ai.djl.basicmodelzoo.cv.classification.MobileNetV1;
import ai.djl.basicmodelzoo.cv.classification.MobileNetV2;
import ai.djl.nn.Block;
import com.typesafe.config.Config;
import dev.stride.runner.api.support.Settings;

/** {@code mobilenet}: DJL's MobileNetV1 or V2 ({@code version}); any image size. */
public final class MobileNetProvider extends ZooModelProvider {
    public MobileNetProvider() {
        super("mobilenet", "DJL model-zoo MobileNet for [C, H, W] images: version 1 or 2", 1);
    }

    @Override
    Block block(Config options, long channels, long height, long width, int outputs) {
        int version = Settings.intIn(options, "version", 1, 2);
        return version == 1 ? MobileNetV1.builder().setOutSize(outputs).build() : MobileNetV2.builder().setOutSize(outputs).build();
    }
}
