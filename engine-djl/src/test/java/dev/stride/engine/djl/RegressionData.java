package dev.stride.engine.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stride.engine.djl.model.Djl;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * In-memory regression data for tests: {@code y = x . w + b + noise} with {@code features}
 * inputs and one target, in a fixed order, batched with a short last batch.
 */
public final class RegressionData implements DataLoader {
    final float[][] x;
    final float[][] y;
    private final int batch;

    public RegressionData(int samples, int features, int batch, long seed) {
        Random r = new Random(seed);
        this.x = new float[samples][features];
        this.y = new float[samples][1];
        for (int i = 0; i < samples; i++) {
            double v = 0.5;
            for (int j = 0; j < features; j++) {
                x[i][j] = (float) r.nextGaussian();
                v += (j % 2 == 0 ? 2 : -1) * x[i][j];
            }
            y[i][0] = (float) (v + 0.1 * r.nextGaussian());
        }
        this.batch = batch;
    }

    @Override
    public int batchesPerEpoch() {
        return (x.length + batch - 1) / batch;
    }

    @Override
    public long samples() {
        return x.length;
    }

    @Override
    public DataSpec spec() {
        return DataSpec.regression(new long[] {x[0].length}, 1);
    }

    @Override
    public BatchStream open(long epoch, int firstBatch) {
        return new BatchStream() {
            int next = firstBatch;

            @Override
            public boolean hasNext() {
                return next < batchesPerEpoch();
            }

            @Override
            public DjlBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next++ * batch;
                int to = Math.min(x.length, from + batch);
                float[] xs = new float[(to - from) * x[0].length];
                float[] ys = new float[to - from];
                for (int i = from; i < to; i++) {
                    System.arraycopy(x[i], 0, xs, (i - from) * x[0].length, x[0].length);
                    ys[i - from] = y[i][0];
                }
                NDManager m = Djl.manager().newSubManager();
                return new DjlBatch(m, m.create(xs, new Shape(to - from, x[0].length)), m.create(ys, new Shape(to - from, 1)),
                        to - from);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public String toString() {
        return "RegressionData" + Arrays.toString(spec().sampleShape());
    }
}
