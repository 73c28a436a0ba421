package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * What a runner is built from.
 *
 * @param options the {@code runner} section with defaults filled in ({@code max-epochs} or
 *     {@code max-iters} ...)
 * @param job the whole resolved config, stored in checkpoints; may be empty
 */
@API(status = API.Status.STABLE, since = "0.1")
public record RunnerSettings(Model model, Optimizer optimizer, Path workDir, long seed, Config options, Config job) {
    public RunnerSettings(Model model, Optimizer optimizer, Path workDir, long seed, Config options) {
        this(model, optimizer, workDir, seed, options, ConfigFactory.empty());
    }
}
