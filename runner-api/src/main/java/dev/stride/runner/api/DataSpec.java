package dev.stride.runner.api;

import java.util.Arrays;
import org.apiguardian.api.API;

/** The shape of one sample (e.g. {@code [1, 28, 28]}) and the number of classes of a data set. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record DataSpec(long[] sampleShape, int numClasses) {
    public DataSpec {
        sampleShape = sampleShape.clone();
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    /** Elements in one sample. */
    public long sampleSize() {
        long n = 1;
        for (long d : sampleShape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec d && d.numClasses == numClasses && Arrays.equals(d.sampleShape, sampleShape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sampleShape) + numClasses;
    }

    @Override
    public String toString() {
        return "DataSpec" + Arrays.toString(sampleShape) + " classes=" + numClasses;
    }
}
