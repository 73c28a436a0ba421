package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a runner is built from: the model and optimizer it drives, where it writes, its seed, its
 * options and the job's whole config, and its place in a data-parallel run. Made with
 * {@link #builder}; settings added in later versions get a default, so code written against this
 * version keeps compiling.
 *
 * <pre>{@code
 * RunnerSettings s = RunnerSettings.builder(model, optimizer)
 *         .workDir(dir).seed(42).options(ConfigFactory.parseMap(Map.of("max-epochs", 4)))
 *         .build();
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.2")
public final class RunnerSettings {
    private final Model model;
    private final Optimizer optimizer;
    private final Path workDir;
    private final long seed;
    private final Config options;
    private final Config job;
    private final int rank;
    private final int worldSize;

    private RunnerSettings(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.workDir = b.workDir;
        this.seed = b.seed;
        this.options = b.options;
        this.job = b.job;
        this.rank = b.rank;
        this.worldSize = b.worldSize;
    }

    /** Settings for a runner of {@code model} and {@code optimizer}; every other setting has a default. */
    public static Builder builder(Model model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /** A builder holding these settings, to derive others from them. */
    public Builder toBuilder() {
        return new Builder(model, optimizer).workDir(workDir).seed(seed).options(options).job(job).rank(rank, worldSize);
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Where logs and checkpoints go; default: the current directory. */
    public Path workDir() {
        return workDir;
    }

    /** Seeds data order and every random draw of a step; default 0. */
    public long seed() {
        return seed;
    }

    /** The {@code runner} section with the provider's defaults filled in ({@code max-epochs} ...); default empty. */
    public Config options() {
        return options;
    }

    /** The whole resolved config of the job, stored in checkpoints; default empty. */
    public Config job() {
        return job;
    }

    /** This process's rank in a data-parallel run; default 0. */
    public int rank() {
        return rank;
    }

    /** Processes in a data-parallel run; default 1. */
    public int worldSize() {
        return worldSize;
    }

    /** Collects settings; {@link #build} checks them. */
    @API(status = API.Status.STABLE, since = "0.2")
    public static final class Builder {
        private final Model model;
        private final Optimizer optimizer;
        private Path workDir = Path.of(".");
        private long seed;
        private Config options = ConfigFactory.empty();
        private Config job = ConfigFactory.empty();
        private int rank;
        private int worldSize = 1;

        private Builder(Model model, Optimizer optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        public Builder workDir(Path dir) {
            this.workDir = Objects.requireNonNull(dir, "workDir");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder options(Config options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder job(Config job) {
            this.job = Objects.requireNonNull(job, "job");
            return this;
        }

        /**
         * @throws IllegalArgumentException unless {@code 0 <= rank < worldSize}
         */
        public Builder rank(int rank, int worldSize) {
            if (worldSize < 1 || rank < 0 || rank >= worldSize) {
                throw new IllegalArgumentException("rank " + rank + " of " + worldSize + " processes");
            }
            this.rank = rank;
            this.worldSize = worldSize;
            return this;
        }

        public RunnerSettings build() {
            return new RunnerSettings(this);
        }
    }
}
