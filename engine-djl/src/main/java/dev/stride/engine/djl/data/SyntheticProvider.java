package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Settings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code synthetic}: seeded, learnable random data for tests and benchmarks. Each class has a
 * random prototype; a sample is its class's prototype plus noise.
 */
public final class SyntheticProvider implements DatasetProvider {
    /** At most 2^27 values (512 MB of floats) in memory. */
    private static final long MAX_VALUES = 1L << 27;

    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "seeded random samples of a given shape around one prototype per class";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public DataLoader create(Config options, Mode mode, long seed) {
        int size = Settings.intIn(options, "size", 1, 50_000_000);
        int classes = Settings.intIn(options, "num-classes", 1, 1 << 20);
        List<Integer> dims = options.getIntList("shape");
        if (dims.isEmpty() || dims.size() > 4 || dims.stream().anyMatch(d -> d < 1 || d > 1 << 16)) {
            throw new BadInputException(Settings.where(options.getValue("shape").origin()) + "shape: " + dims
                    + " must list 1 to 4 dimensions in 1..65536, e.g. [1, 28, 28]");
        }
        long[] shape = dims.stream().mapToLong(Integer::longValue).toArray();
        DataSpec spec = new DataSpec(shape, classes);
        long per = spec.sampleSize();
        if (per * classes > MAX_VALUES) {
            throw new BadInputException(Settings.where(options.getValue("num-classes").origin()) + "num-classes: " + classes
                    + " prototypes of " + per + " values do not fit in memory; use fewer classes or smaller samples");
        }
        if (per * size > MAX_VALUES) {
            throw new BadInputException(Settings.where(options.getValue("size").origin()) + "size: " + size
                    + " samples of " + per + " values do not fit in memory as one array; use fewer");
        }
        SplittableRandom rnd = new SplittableRandom(options.getLong("seed"));
        float[] prototypes = new float[(int) (classes * per)];
        for (int i = 0; i < prototypes.length; i++) {
            prototypes[i] = (float) rnd.nextGaussian();
        }
        float[] features = new float[(int) (size * per)];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            int c = rnd.nextInt(classes);
            labels[i] = c;
            for (int j = 0; j < per; j++) {
                features[(int) (i * per + j)] = prototypes[(int) (c * per + j)] + (float) rnd.nextGaussian();
            }
        }
        return LoaderOptions.of(options).loader(new ArrayData(features, labels, spec), seed);
    }
}
