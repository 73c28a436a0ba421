package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code mnist-idx}: images and labels in the IDX files of MNIST or Fashion-MNIST
 * ({@code <split>-images-idx3-ubyte[.gz]}, {@code <split>-labels-idx1-ubyte[.gz]}).
 */
public final class MnistIdxProvider implements DatasetProvider {
    @Override
    public String name() {
        return "mnist-idx";
    }

    @Override
    public String description() {
        return "MNIST-style IDX files (gzipped or not), 28x28 grey images, 10 classes";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public DataLoader create(Config options, Mode mode, long seed) {
        Path root = Path.of(options.getString("root"));
        String split = options.getString("split");
        if (!split.matches("[A-Za-z0-9_.-]+")) {
            throw new BadInputException(Settings.where(options.getValue("split").origin()) + "split: '" + split
                    + "' is not a file name prefix such as train or t10k");
        }
        int classes = Settings.intIn(options, "num-classes", 1, 1 << 20);
        int limit = Settings.intIn(options, "limit", 0, Integer.MAX_VALUE);
        double mean = options.getDouble("mean");
        double std = Settings.doubleIn(options, "std", 1e-12, Double.MAX_VALUE);
        IdxFile images = IdxFile.read(find(root, split + "-images-idx3-ubyte"));
        IdxFile labels = IdxFile.read(find(root, split + "-labels-idx1-ubyte"));
        if (images.dims.length != 3) {
            throw new BadInputException("data file " + images.path + " should hold images [count, rows, cols] but has "
                    + images.dims.length + " dimensions");
        }
        if (labels.dims.length != 1) {
            throw new BadInputException("data file " + labels.path + " should hold labels [count] but has "
                    + labels.dims.length + " dimensions");
        }
        if (images.count() != labels.count()) {
            throw new BadInputException("data files " + images.path + " and " + labels.path + " disagree: "
                    + images.count() + " images but " + labels.count() + " labels");
        }
        int n = limit == 0 ? images.count() : Math.min(limit, images.count());
        int size = images.dims[1] * images.dims[2];
        FloatBuffer features = ArrayData.buffer(n * size);
        float m = (float) mean;
        float s = (float) std;
        for (int i = 0; i < n * size; i++) {
            features.put(i, ((images.data[i] & 0xff) / 255f - m) / s);
        }
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            ys[i] = labels.data[i] & 0xff;
            if (ys[i] >= classes) {
                throw new BadInputException("data file " + labels.path + ": label " + ys[i] + " of sample " + i
                        + " is outside 0.." + (classes - 1) + " (num-classes = " + classes + ")");
            }
        }
        DataSpec spec = new DataSpec(new long[] {1, images.dims[1], images.dims[2]}, classes);
        return LoaderOptions.of(options).loader(new ArrayData(features, ys, spec), seed);
    }

    private static Path find(Path root, String base) {
        Path gz = root.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = root.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (!Files.isDirectory(root)) {
            throw new BadInputException("data folder " + root + " does not exist (looked for it at " + root.toAbsolutePath()
                    + "); set root to the folder holding the IDX files");
        }
        throw new BadInputException("data file " + gz + " does not exist (nor " + plain.getFileName() + ") in "
                + root.toAbsolutePath());
    }
}
