package dev.stride.engine.djl.optim;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.spi.OptimizerProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Problems;
import dev.stride.runner.api.support.Settings;
import java.util.List;

/** {@code adamw}: torch.optim.AdamW. */
public final class AdamWProvider implements OptimizerProvider {
    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public String description() {
        return "AdamW (torch.optim.AdamW)";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Optimizer create(Config options, Model model) {
        List<Double> betas = options.getDoubleList("betas");
        if (betas.size() != 2 || betas.stream().anyMatch(b -> !(b >= 0 && b < 1))) {
            throw new BadInputException(Problems.where(options.getValue("betas").origin()) + "betas: " + betas
                    + " must be two values in [0, 1), e.g. [0.9, 0.999]");
        }
        return new Adam(model, Settings.doubleIn(options, "lr", 0, 1e6), betas.get(0), betas.get(1),
                Settings.doubleIn(options, "eps", 0, 1), Settings.doubleIn(options, "weight-decay", 0, 1e6), true);
    }
}
