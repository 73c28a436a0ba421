package dev.stride.runner.api;

import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What a data set holds, so a model can size itself and the host can check the two fit: the
 * shape of one sample (e.g. {@code [1, 28, 28]}) and its target, either a class out of
 * {@code numClasses} (classification; the classes may have names) or {@code targets} numbers
 * (regression, {@code numClasses == 0}).
 *
 * @param sampleShape the shape of one sample's input
 * @param numClasses classes of a classification target; 0 for a regression target
 * @param classNames the classes' names in class order (empty when the data does not name them)
 * @param targets the numbers of a regression target per sample (0 for classification)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record DataSpec(long[] sampleShape, int numClasses, List<String> classNames, int targets) {
    public DataSpec {
        sampleShape = sampleShape.clone();
        classNames = List.copyOf(classNames);
        if (numClasses < 0 || targets < 0 || (numClasses > 0) == (targets > 0)) {
            throw new IllegalArgumentException("a data set has classes or regression targets, not " + numClasses
                    + " classes and " + targets + " targets");
        }
        if (!classNames.isEmpty() && classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses + " classes");
        }
    }

    /** Classification into {@code numClasses} unnamed classes. */
    public DataSpec(long[] sampleShape, int numClasses) {
        this(sampleShape, numClasses, List.of(), 0);
    }

    /** Classification into the named classes, in class order. */
    public static DataSpec classes(long[] sampleShape, List<String> classNames) {
        return new DataSpec(sampleShape, classNames.size(), classNames, 0);
    }

    /** Regression: each sample's target is {@code targets} numbers. */
    public static DataSpec regression(long[] sampleShape, int targets) {
        return new DataSpec(sampleShape, 0, List.of(), targets);
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    /** Whether the target is a number (or several) rather than a class. */
    public boolean isRegression() {
        return targets > 0;
    }

    /** The model's outputs per sample: one score per class, or one value per regression target. */
    public int outputs() {
        return isRegression() ? targets : numClasses;
    }

    /** The name of class {@code c}: its name when the data has names, else its number. */
    public String className(int c) {
        return classNames.isEmpty() ? Integer.toString(c) : classNames.get(c);
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
        return o instanceof DataSpec d && d.numClasses == numClasses && d.targets == targets
                && Arrays.equals(d.sampleShape, sampleShape) && d.classNames.equals(classNames);
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(sampleShape) + numClasses) * 31 + targets;
    }

    @Override
    public String toString() {
        return "DataSpec" + Arrays.toString(sampleShape)
                + (isRegression() ? " targets=" + targets : " classes=" + numClasses + (classNames.isEmpty() ? "" : classNames));
    }
}
