package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import org.apiguardian.api.API;

/** Creates a data loader from a {@code data.<mode>} section, e.g. {@code mnist-idx}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface DatasetProvider extends Provider {
    /**
     * @param options the section with defaults filled in
     * @param mode the phase this loader feeds
     * @param seed the run's seed: the loader's order is a pure function of (seed, epoch)
     * @throws dev.stride.runner.api.BadInputException when a file is missing or malformed, naming it
     */
    DataLoader create(Config options, Mode mode, long seed);
}
