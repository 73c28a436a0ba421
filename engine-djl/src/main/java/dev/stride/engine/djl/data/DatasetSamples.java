package dev.stride.engine.djl.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.TranslateException;
import dev.stride.engine.djl.model.Djl;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A DJL {@link RandomAccessDataset} as a sample source: each record is read through a manager of
 * its own, converted to float32 inputs and int64 labels or float32 regression values, and freed.
 * (Public only for {@code dev.stride.engine.djl.DatasetLoader}; the package is not exported.)
 */
public final class DatasetSamples implements Samples {
    private final RandomAccessDataset dataset;
    private final DataSpec spec;
    private final int count;
    private final int size;

    private DatasetSamples(RandomAccessDataset dataset, DataSpec spec) {
        this.dataset = dataset;
        this.spec = spec;
        long n = dataset.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the data set has " + n + " records; a loader takes at most " + (Integer.MAX_VALUE - 8));
        }
        this.count = (int) n;
        this.size = Math.toIntExact(spec.sampleSize());
    }

    /** The loader of {@code dataset}, prepared once here. */
    public static DataLoader loader(RandomAccessDataset dataset, DataSpec spec, int batchSize, boolean shuffle, boolean dropLast,
            int prefetch, int workers, int shard, int shards, long seed) {
        if (batchSize < 1 || prefetch < 0 || workers < 1 || shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("batch size " + batchSize + ", prefetch " + prefetch + ", workers " + workers
                    + ", shard " + shard + " of " + shards + ": need a batch size and workers >= 1, prefetch >= 0, 0 <= shard < shards");
        }
        try {
            dataset.prepare();
        } catch (IOException e) {
            throw new UncheckedIOException("the data set could not be prepared: " + e.getMessage(), e);
        } catch (TranslateException e) {
            throw new IllegalStateException("the data set could not be prepared: " + e.getMessage(), e);
        }
        return new DjlDataLoader(new DatasetSamples(dataset, spec),
                new LoaderOptions(batchSize, shuffle, dropLast, prefetch, workers, shard, shards), seed);
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public DataSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return "data set " + dataset.getClass().getSimpleName();
    }

    @Override
    public String describe(int index) {
        return "record " + index;
    }

    @Override
    public boolean read(int index, long epoch, BatchBuffers batch) {
        try (NDManager m = Djl.manager().newSubManager()) {
            Record r;
            try {
                r = dataset.get(m, index);
            } catch (IOException e) {
                throw new UncheckedIOException(name() + ": record " + index + " cannot be read: " + e.getMessage(), e);
            }
            NDList data = r.getData();
            if (data == null || data.size() != 1) {
                throw new BadInputException(name() + ": record " + index + " has " + (data == null ? 0 : data.size())
                        + " data arrays; a Stride loader takes records with one input array");
            }
            NDArray x = data.get(0);
            if (x.size() != size) {
                throw new BadInputException(name() + ": record " + index + " holds an input of shape " + x.getShape() + " ("
                        + x.size() + " values), but the DataSpec's sample shape is " + Arrays.toString(spec.sampleShape()));
            }
            batch.input(x.toType(DataType.FLOAT32, false).toFloatArray(), 0);
            NDList labels = r.getLabels();
            if (labels == null || labels.size() != 1) {
                throw new BadInputException(name() + ": record " + index + " has " + (labels == null ? 0 : labels.size())
                        + " label arrays; a Stride loader takes records with one (a class number, or the regression values)");
            }
            NDArray y = labels.get(0);
            if (spec.isRegression()) {
                if (y.size() != spec.targets()) {
                    throw new BadInputException(name() + ": record " + index + " has a label of shape " + y.getShape()
                            + ", but the DataSpec has " + spec.targets() + " regression targets");
                }
                batch.targets(y.toType(DataType.FLOAT32, false).toFloatArray(), 0);
            } else {
                double[] v = y.size() == 1 ? y.toType(DataType.FLOAT64, false).toDoubleArray() : null;
                if (v == null || v[0] != Math.rint(v[0]) || v[0] < 0 || v[0] >= spec.numClasses()) {
                    throw new BadInputException(name() + ": record " + index + " has the label " + (v == null ? y.getShape() : v[0])
                            + "; a classification label is one integer class number in 0.." + (spec.numClasses() - 1));
                }
                batch.label((long) v[0]);
            }
        }
        return true;
    }
}
