package dev.stride.runner.api.spi;

import dev.stride.runner.api.Runner;
import org.apiguardian.api.API;

/** Creates a runner strategy, e.g. {@code epoch} or {@code iter}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface RunnerProvider extends Provider {
    /**
     * @throws dev.stride.runner.api.BadInputException when an option is invalid, naming it
     */
    Runner create(RunnerSettings settings);
}
