package dev.stride.engine.djl.optim;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.spi.OptimizerProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Settings;
import java.util.List;

/** Adam and AdamW share their options; they differ in how weight decay applies. */
abstract class AdamFamilyProvider implements OptimizerProvider {
    private final String name;
    private final boolean decoupled;

    AdamFamilyProvider(String name, boolean decoupled) {
        this.name = name;
        this.decoupled = decoupled;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return decoupled ? "AdamW, decoupled weight decay (torch.optim.AdamW)" : "Adam, L2 weight decay (torch.optim.Adam)";
    }

    @Override
    public final int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public final Optimizer create(Config options, Model model) {
        List<Double> betas = options.getDoubleList("betas");
        if (betas.size() != 2 || betas.stream().anyMatch(b -> !(b >= 0 && b < 1))) {
            throw new BadInputException(Settings.where(options.getValue("betas").origin()) + "betas: " + betas
                    + " must be two values in [0, 1), e.g. [0.9, 0.999]");
        }
        return new Adam(model, Settings.doubleIn(options, "lr", 0, 1e6), betas.get(0), betas.get(1),
                Settings.doubleIn(options, "eps", 0, 1), Settings.doubleIn(options, "weight-decay", 0, 1e6), decoupled);
    }
}
