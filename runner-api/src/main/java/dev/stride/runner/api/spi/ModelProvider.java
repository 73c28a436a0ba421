package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import org.apiguardian.api.API;

/** Creates a model, e.g. {@code mlp} or {@code lenet}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface ModelProvider extends Provider {
    /**
     * @param options the {@code model} section with defaults filled in
     * @param data the shape of a sample and the class count of the train data
     * @param seed seeds the initial weights
     */
    Model create(Config options, DataSpec data, long seed);
}
