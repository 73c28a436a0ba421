package dev.stride.runner.testkit;

import com.typesafe.config.Config;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Settings;

/**
 * Providers for the testkit's own tests, which cannot use runner-epoch or hooks-builtin (they test
 * with the testkit): a runner {@code test-epochs} (the walk of the epoch runner), a runner
 * {@code test-iters} (that of the iter runner), a hook {@code counter} and a hook named
 * {@code optimizer}, which the harness must add by default. Listed in {@code META-INF/services},
 * their defaults in {@code reference.conf}, as a plugin's.
 */
public final class TestProviders {
    private TestProviders() {}

    public static final class EpochsProvider implements RunnerProvider {
        @Override
        public int spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "test-epochs";
        }

        @Override
        public Runner create(RunnerSettings settings) {
            return new BaseRunner(settings, BaseRunner.Unit.EPOCHS) {
                {
                    setMaxEpochs(Settings.intIn(settings.options(), "max-epochs", 1, 1000));
                }

                @Override
                public String name() {
                    return "test-epochs";
                }
            };
        }
    }

    public static final class ItersProvider implements RunnerProvider {
        @Override
        public int spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "test-iters";
        }

        @Override
        public Runner create(RunnerSettings settings) {
            return new BaseRunner(settings, BaseRunner.Unit.ITERATIONS) {
                {
                    setMaxIters(Settings.longIn(settings.options(), "max-iters", 1, 100_000));
                }

                @Override
                public String name() {
                    return "test-iters";
                }
            };
        }
    }

    /** Counts train iterations; keeps the count in checkpoints; its options: interval, label. */
    public static final class CounterHook implements Hook {
        final int interval;
        final String label;
        long count;

        CounterHook(Config options) {
            this.interval = Settings.intIn(options, "interval", 1, 1000);
            this.label = options.getString("label");
        }

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public void afterTrainIter(Runner runner) {
            if ((runner.iter() + 1) % interval == 0) {
                count++;
            }
        }

        @Override
        public void saveState(Checkpoint.Section state) {
            state.put("count", count);
        }

        @Override
        public void loadState(Checkpoint.Section state) {
            count = state.getLong("count", 0);
        }
    }

    public static final class CounterProvider implements HookProvider {
        @Override
        public int spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public int defaultPriority() {
            return Priority.LOW.value();
        }

        @Override
        public Hook create(Config options) {
            return new CounterHook(options);
        }
    }

    /** Steps the optimizer after every train iteration, as hooks-builtin's optimizer hook (without its options). */
    public static final class StepEveryIter implements Hook {
        final int accumulate;

        StepEveryIter(Config options) {
            this.accumulate = Settings.intIn(options, "cumulative-iters", 1, 100);
        }

        @Override
        public String name() {
            return "optimizer";
        }

        @Override
        public void afterTrainIter(Runner runner) {
            if ((runner.iter() + 1) % accumulate == 0) {
                runner.optimizer().step();
                runner.optimizer().zeroGrad();
            }
        }
    }

    public static final class OptimizerProvider implements HookProvider {
        @Override
        public int spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "optimizer";
        }

        @Override
        public int defaultPriority() {
            return Priority.ABOVE_NORMAL.value();
        }

        @Override
        public Hook create(Config options) {
            return new StepEveryIter(options);
        }
    }
}
