package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code npy}: NumPy arrays as Python users export them, {@code np.save("x.npy", x)} and
 * {@code np.save("y.npy", y)} or {@code np.savez("data.npz", x=x, y=y)}: inputs {@code [N, ...]}
 * and targets {@code [N]} (class labels 0..C-1) or {@code [N]} / {@code [N, T]} (regression).
 */
public final class NpyProvider implements DatasetProvider {
    @Override
    public String name() {
        return "npy";
    }

    @Override
    public String description() {
        return "NumPy .npy / .npz arrays: inputs [N, ...] and class labels or regression targets";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public DataLoader create(Config options, Mode mode, long seed) {
        TabularData.Task task = CsvProvider.task(options);
        boolean standardize = options.getBoolean("standardize");
        boolean standardizeTarget = options.getBoolean("standardize-target");
        double scale = Settings.doubleIn(options, "scale", -Double.MAX_VALUE, Double.MAX_VALUE);
        int numClasses = Settings.intIn(options, "num-classes", 0, 1 << 20);
        List<String> names = options.getIsNull("classes") ? List.of() : options.getStringList("classes");
        if (new HashSet<>(names).size() != names.size()) {
            throw new BadInputException(Settings.where(options, "classes") + "classes: " + names + " must list each class name once");
        }
        if (!names.isEmpty() && numClasses != 0 && numClasses != names.size()) {
            throw new BadInputException(Settings.where(options, "num-classes") + "num-classes: " + numClasses + " but classes names "
                    + names.size());
        }
        LoaderOptions loader = LoaderOptions.of(options);

        NpyArray x;
        NpyArray y;
        String name;
        if (!options.getIsNull("file")) {
            if (!options.getIsNull("x") || !options.getIsNull("y")) {
                throw new BadInputException(Settings.where(options, "file") + "file (an .npz archive) and x / y (.npy files) are"
                        + " alternatives: set one of them");
            }
            Path file = Path.of(options.getString("file"));
            name = "npy " + file;
            x = NpyArray.readNpz(file, options.getString("x-key"));
            String yKey = options.getString("y-key");
            y = yKey.isEmpty() ? null : NpyArray.readNpz(file, yKey);
        } else if (!options.getIsNull("x")) {
            Path file = Path.of(options.getString("x"));
            name = "npy " + file;
            x = NpyArray.read(file);
            y = options.getIsNull("y") || options.getString("y").isEmpty() ? null : NpyArray.read(Path.of(options.getString("y")));
        } else {
            throw new BadInputException(Settings.where(options.origin()) + "x: not set; set x = \"inputs.npy\" (and y = \"targets.npy\"),"
                    + " or file = \"data.npz\" holding arrays x and y");
        }
        if (y == null && mode == Mode.TRAIN) {
            throw new BadInputException(Settings.where(options.origin()) + "data.train needs targets: set y (or y-key for an .npz)");
        }

        // inputs
        if (x.shape().length == 0 || x.shape()[0] == 0) {
            throw new BadInputException("data file " + x.source() + " holds " + (x.shape().length == 0 ? "a single number (shape ())"
                    : "no samples (shape " + Arrays.toString(x.shape()) + ")") + "; inputs are an array [samples, ...]");
        }
        int n = Math.toIntExact(x.shape()[0]);
        long[] sample = x.shape().length == 1 ? new long[] {1} : Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        if (!options.getIsNull("shape")) {
            long[] wanted = options.getLongList("shape").stream().mapToLong(Long::longValue).toArray();
            if (wanted.length == 0 || Arrays.stream(wanted).anyMatch(d -> d < 1)
                    || Arrays.stream(wanted).reduce(1, (a, b) -> a * b) != Arrays.stream(sample).reduce(1, (a, b) -> a * b)) {
                throw new BadInputException(Settings.where(options, "shape") + "shape: " + Arrays.toString(wanted) + " does not hold the "
                        + Arrays.stream(sample).reduce(1, (a, b) -> a * b) + " values of a sample of " + x.source() + " "
                        + Arrays.toString(sample));
            }
            sample = wanted;
        }
        long total = x.count();
        double[] raw = standardize ? new double[(int) total] : null;
        float[] plain = standardize ? null : new float[(int) total];
        for (int i = 0; i < total; i++) {
            double v = x.get(i) * scale;
            if (!Double.isFinite(v)) {
                long s = i / (total / n);
                throw new BadInputException("data file " + x.source() + ": sample " + s + " holds " + x.get(i)
                        + " (element " + (i - s * (total / n)) + "); inputs must be finite numbers");
            }
            if (standardize) {
                raw[i] = v;
            } else {
                plain[i] = (float) v;
            }
        }

        // targets
        TabularData.Labels labels = null;
        double[] values = null;
        int targets = 1;
        if (y != null) {
            if (y.shape().length == 0 || y.shape()[0] != n) {
                throw new BadInputException("data files " + x.source() + " and " + y.source() + " disagree: " + n + " inputs but "
                        + (y.shape().length == 0 ? "a single target" : y.shape()[0] + " targets") + " (shape "
                        + Arrays.toString(y.shape()) + ")");
            }
            if (task == TabularData.Task.CLASSIFICATION) {
                if (y.shape().length > 2 || (y.shape().length == 2 && y.shape()[1] != 1)) {
                    throw new BadInputException("data file " + y.source() + " holds class labels of shape " + Arrays.toString(y.shape())
                            + "; they must be [samples] (one class number each), or set task = regression");
                }
                if (y.kind() == 'f') {
                    throw new BadInputException("data file " + y.source() + " holds " + y.dtype() + " values; class labels must be"
                            + " integers 0..classes-1: save y.astype(np.int64), or set task = regression");
                }
                int[] classes = new int[n];
                int max = -1;
                for (int i = 0; i < n; i++) {
                    long v = y.getLong(i);
                    if (v < 0 || v >= (numClasses > 0 ? numClasses : names.isEmpty() ? 1 << 20 : names.size())) {
                        throw new BadInputException("data file " + y.source() + ": the label " + v + " of sample " + i + " is outside 0.."
                                + ((numClasses > 0 ? numClasses : names.isEmpty() ? 1 << 20 : names.size()) - 1)
                                + (numClasses > 0 || !names.isEmpty() ? " (the classes set in the options)" : ""));
                    }
                    classes[i] = (int) v;
                    max = Math.max(max, classes[i]);
                }
                int count = numClasses > 0 ? numClasses : !names.isEmpty() ? names.size() : max + 1;
                labels = new TabularData.Labels(null, classes, Map.of(), names, count);
            } else {
                if (y.shape().length > 2) {
                    throw new BadInputException("data file " + y.source() + " holds targets of shape " + Arrays.toString(y.shape())
                            + "; regression targets are [samples] or [samples, targets]");
                }
                targets = y.shape().length == 2 ? Math.toIntExact(y.shape()[1]) : 1;
                if (targets == 0) {
                    throw new BadInputException("data file " + y.source() + " holds no targets per sample (shape "
                            + Arrays.toString(y.shape()) + ")");
                }
                values = new double[n * targets];
                for (int i = 0; i < values.length; i++) {
                    values[i] = y.get(i);
                    if (!Double.isFinite(values[i])) {
                        throw new BadInputException("data file " + y.source() + ": sample " + i / targets + " has the target "
                                + values[i] + "; targets must be finite numbers");
                    }
                }
            }
        } else if (task == TabularData.Task.CLASSIFICATION && (numClasses > 0 || !names.isEmpty())) {
            labels = new TabularData.Labels(null, null, Map.of(), names, numClasses > 0 ? numClasses : names.size());
        }
        new DataSpec(sample, 1); // checks the shape
        TabularData data = new TabularData(name, sample, raw, plain, List.of(), task, labels, values, targets, standardize,
                standardizeTarget);
        return loader.loader(data, seed);
    }
}
