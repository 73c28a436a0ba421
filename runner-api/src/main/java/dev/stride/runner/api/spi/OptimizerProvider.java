package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import org.apiguardian.api.API;

/** Creates an optimizer for a model's parameters, e.g. {@code sgd} or {@code adam}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface OptimizerProvider extends Provider {
    /**
     * @throws dev.stride.runner.api.BadInputException when the model comes from another engine
     */
    Optimizer create(Config options, Model model);
}
