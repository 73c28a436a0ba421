package dev.stride.launcher.spark;

import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.launcher.ProviderRegistry;
import java.util.function.Consumer;

/**
 * A registry whose runners are built for one rank of a data-parallel run: the same providers,
 * except that each runner provider passes {@code rank} and {@code worldSize} on in its
 * {@link RunnerSettings}, so hooks see {@code runner.rank()} and {@code isMainProcess()}, with the
 * collective's sum and whether the val data is split ({@code runner.sumOverRanks},
 * {@code runner.valSplit()}).
 */
final class RankedRunners {
    private RankedRunners() {}

    static ProviderRegistry of(ProviderRegistry registry, int rank, int worldSize, Consumer<double[]> sum, boolean valSplit) {
        ProviderRegistry.Builder b = new ProviderRegistry.Builder();
        for (ProviderRegistry.Entry e : registry.all()) {
            b.add(e.kind(), e.kind() == ProviderKind.RUNNER
                    ? new Ranked((RunnerProvider) e.provider(), rank, worldSize, sum, valSplit) : e.provider());
        }
        return b.build();
    }

    /** A runner provider that builds its runners for one rank. */
    private record Ranked(RunnerProvider provider, int rank, int worldSize, Consumer<double[]> sum, boolean valSplit)
            implements RunnerProvider {
        @Override
        public String name() {
            return provider.name();
        }

        @Override
        public String description() {
            return provider.description();
        }

        @Override
        public int spiVersion() {
            return provider.spiVersion();
        }

        @Override
        public Runner create(RunnerSettings s) {
            return provider.create(s.toBuilder().rank(rank, worldSize).sumOverRanks(sum, valSplit).build());
        }
    }
}
