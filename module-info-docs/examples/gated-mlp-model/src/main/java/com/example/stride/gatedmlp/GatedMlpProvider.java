package com.example.stride.gatedmlp;

import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.typesafe.config.Config;
import dev.stride.engine.djl.DjlModel;
import dev.stride.engine.djl.Metric;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.spi.ModelProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;

/**
 * {@code gated-mlp}: flatten, a {@link GatedDense} layer of {@code hidden} units, then a linear
 * layer with one output per class of the data (or per regression target). Options and their
 * defaults are in this plugin's {@code reference.conf}.
 */
public final class GatedMlpProvider implements ModelProvider {
    @Override
    public String name() {
        return "gated-mlp";
    }

    @Override
    public String description() {
        return "example plugin: a gated dense layer (custom DJL block), then a linear layer";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Model create(Config options, DataSpec data, long seed) {
        int hidden = Settings.intIn(options, "hidden", 1, 1 << 16);
        int classes = Settings.intIn(options, "num-classes", 0, 1 << 16);
        if (classes != 0 && data.isRegression()) {
            throw new BadInputException(Settings.where(options, "num-classes") + "num-classes is for classification; the"
                    + " data has regression targets");
        }
        // the task: the data's, with num-classes outputs when set
        DataSpec task = classes == 0 ? data : new DataSpec(data.sampleShape(), classes);
        GatedDense gated = new GatedDense(hidden);
        Linear out = Linear.builder().setUnits(task.outputs()).build();
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(gated).add(out);
        return DjlModel.builder(net)
                .dataSpec(task)                                 // input shape, and classes or regression targets
                .metrics(task.isRegression() ? new Metric[] {Metric.mae(), Metric.rmse(), Metric.r2()}
                        : new Metric[] {Metric.accuracy(), Metric.topK(3)})
                .seed(seed)                                     // the initial weights come from the run's seed
                .name("gated.value", gated.value())             // gated.value.weight, gated.value.bias
                .name("gated.gate", gated.gate())               // gated.gate.weight, gated.gate.bias
                .name("out", out)                               // out.weight, out.bias
                .build();                                       // loss: cross-entropy, or MSE for regression
    }
}
