package dev.stride.runner.api.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

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
    private final @Nullable Consumer<double[]> sumOverRanks;
    private final boolean valSplit;

    private RunnerSettings(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.workDir = b.workDir;
        this.seed = b.seed;
        this.options = b.options;
        this.job = b.job;
        this.rank = b.rank;
        this.worldSize = b.worldSize;
        this.sumOverRanks = b.sumOverRanks;
        this.valSplit = b.valSplit;
    }

    /** Settings for a runner of {@code model} and {@code optimizer}; every other setting has a default. */
    public static Builder builder(Model model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /** A builder holding these settings, to derive others from them. */
    public Builder toBuilder() {
        Builder b = new Builder(model, optimizer).workDir(workDir).seed(seed).options(options).job(job).rank(rank, worldSize);
        return sumOverRanks == null ? b : b.sumOverRanks(sumOverRanks, valSplit);
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

    /** Sums an array element by element over the ranks, in place ({@link dev.stride.runner.api.Runner#sumOverRanks}). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public Consumer<double[]> sumOverRanks() {
        if (sumOverRanks != null) {
            return sumOverRanks;
        }
        int n = worldSize;
        return values -> {
            if (n > 1) {
                throw new UnsupportedOperationException("these runner settings have no way to sum over the " + n + " ranks");
            }
        };
    }

    /** Whether each rank validates only its share of the val data ({@link dev.stride.runner.api.Runner#valSplit}). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public boolean valSplit() {
        return valSplit;
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
        private @Nullable Consumer<double[]> sumOverRanks;
        private boolean valSplit;

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

        /**
         * How a data-parallel run sums over its ranks, and whether each rank validates only its
         * share of the val data. Without it a runner of several ranks cannot sum.
         *
         * @param sum sums an array element by element over every rank, in place
         */
        @API(status = API.Status.EXPERIMENTAL, since = "0.2")
        public Builder sumOverRanks(Consumer<double[]> sum, boolean valSplit) {
            this.sumOverRanks = Objects.requireNonNull(sum, "sum");
            this.valSplit = valSplit;
            return this;
        }

        public RunnerSettings build() {
            return new RunnerSettings(this);
        }
    }
}
