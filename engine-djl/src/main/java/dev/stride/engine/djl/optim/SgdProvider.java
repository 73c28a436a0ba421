package dev.stride.engine.djl.optim;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.spi.OptimizerProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;

/** {@code sgd}: stochastic gradient descent with momentum, Nesterov and weight decay. */
public final class SgdProvider implements OptimizerProvider {
    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "SGD with momentum, dampening, Nesterov, weight decay (torch.optim.SGD)";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Optimizer create(Config options, Model model) {
        double lr = Settings.doubleIn(options, "lr", 0, 1e6);
        double momentum = Settings.doubleIn(options, "momentum", 0, 1);
        double dampening = Settings.doubleIn(options, "dampening", 0, 1);
        double wd = Settings.doubleIn(options, "weight-decay", 0, 1e6);
        boolean nesterov = options.getBoolean("nesterov");
        if (nesterov && (momentum == 0 || dampening != 0)) {
            throw new BadInputException("optimizer sgd: nesterov = true needs momentum > 0 and dampening = 0");
        }
        return new Sgd(model, lr, momentum, dampening, wd, nesterov);
    }
}
