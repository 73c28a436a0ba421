package dev.stride.app.hardening;

import com.typesafe.config.Config;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.SpiVersion;
import java.util.ServiceLoader;

/**
 * {@code failing-synthetic}: the {@code synthetic} data set whose loader throws when it reaches
 * batch {@code fail-batch} of epoch {@code fail-epoch} (0-based, as loaders count; -1 never), as a
 * reader meeting a corrupt record would. {@code failure = bad-input} throws the
 * {@link BadInputException} a careful loader throws ("data file X: record 17 is corrupt");
 * {@code failure = bug} an {@link IllegalStateException} naming the same record.
 */
public final class FailingDataProvider implements DatasetProvider {
    /** The file the failure names. */
    static final String FILE = "/data/shards/part-00003.bin";

    @Override
    public String name() {
        return "failing-synthetic";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "test only: synthetic data whose loader throws at a chosen batch";
    }

    @Override
    public DataLoader create(Config options, Mode mode, long seed) {
        DatasetProvider synthetic = ServiceLoader.load(DatasetProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("synthetic")).findFirst().orElseThrow();
        // synthetic's own defaults for the options this test provider does not list (shards ...)
        Config all = options.withFallback(ProviderRegistry.defaults(ProviderKind.DATASET, synthetic));
        DataLoader data = synthetic.create(all, mode, seed);
        return new Failing(data, options.getLong("fail-epoch"), options.getInt("fail-batch"), options.getString("failure"));
    }

    private record Failing(DataLoader data, long failEpoch, int failBatch, String failure) implements DataLoader {
        @Override
        public int batchesPerEpoch() {
            return data.batchesPerEpoch();
        }

        @Override
        public long samples() {
            return data.samples();
        }

        @Override
        public DataSpec spec() {
            return data.spec();
        }

        @Override
        public BatchStream open(long epoch, int firstBatch) {
            BatchStream batches = data.open(epoch, firstBatch);
            return new BatchStream() {
                private int next = firstBatch;

                @Override
                public boolean hasNext() {
                    return batches.hasNext();
                }

                @Override
                public Batch next() {
                    if (epoch == failEpoch && next == failBatch) {
                        String what = "data file " + FILE + ": record 17 is corrupt";
                        throw failure.equals("bug") ? new IllegalStateException("decoder failed: " + what)
                                : new BadInputException(what + " (its label is 255; labels lie in 0..9)");
                    }
                    next++;
                    return batches.next();
                }

                @Override
                public void close() {
                    batches.close();
                }
            };
        }
    }
}
