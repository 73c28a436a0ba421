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
 * @param rank this process's rank in a data-parallel run (0 otherwise)
 * @param worldSize processes in a data-parallel run (1 otherwise)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record RunnerSettings(Model model, Optimizer optimizer, Path workDir, long seed, Config options, Config job,
        int rank, int worldSize) {
    public RunnerSettings {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " of " + worldSize + " processes");
        }
    }

    public RunnerSettings(Model model, Optimizer optimizer, Path workDir, long seed, Config options, Config job) {
        this(model, optimizer, workDir, seed, options, job, 0, 1);
    }

    public RunnerSettings(Model model, Optimizer optimizer, Path workDir, long seed, Config options) {
        this(model, optimizer, workDir, seed, options, ConfigFactory.empty());
    }
}
