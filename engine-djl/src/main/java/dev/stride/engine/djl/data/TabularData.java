package dev.stride.engine.djl.data;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numeric samples held in memory as read from a file (csv, npy), prepared with statistics that
 * may come from elsewhere: features standardised with the train data's means and deviations,
 * labels numbered in the train data's class order. The train loader computes them and writes them
 * with {@link #saveState}; val, test and predict loaders, and a resumed run, take them with
 * {@link #loadState}. The prepared arrays are computed on first use, after any {@code loadState}.
 */
final class TabularData implements Samples {
    private static final Logger LOG = LoggerFactory.getLogger(TabularData.class);

    /** What the samples' targets are. */
    enum Task {
        CLASSIFICATION,
        REGRESSION
    }

    /**
     * Class labels. Named labels (csv) are numbered by their place in the class names; indexed
     * labels (npy) are the class numbers themselves, and names only decorate them.
     *
     * @param keys named: each sample's label text; indexed: {@code null}
     * @param indices indexed: each sample's class; named: {@code null}
     * @param where named: where each distinct label first occurs ("file:line:column"), for messages
     * @param names the class order: given by the user, or for named labels the sorted distinct
     *     labels; may be empty for indexed labels
     * @param numClasses indexed: the class count (max label + 1, or the user's); named: names.size()
     */
    record Labels(String[] keys, int[] indices, Map<String, String> where, List<String> names, int numClasses) {
        /** Whether the samples have labels (else only the classes are known: data to predict on). */
        boolean present() {
            return keys != null || indices != null;
        }
    }

    private final String name;
    private final long[] shape;
    private final int size;
    private final int count;
    /** Features as read, when they are standardised; else {@code null}. */
    private final double[] raw;
    /** Features ready to use, when they are not standardised; else {@code null}. */
    private final float[] plain;
    private final List<String> featureNames;
    private final Task task;
    private final Labels labels;
    private final double[] values;
    private final int targets;
    private final boolean standardize;
    private final boolean standardizeTarget;

    private volatile List<String> classNames;
    private volatile int numClasses;
    private volatile double[] mean;
    private volatile double[] std;
    private volatile double[] targetMean;
    private volatile double[] targetStd;
    private volatile Prepared prepared;

    private record Prepared(float[] x, int[] classes, float[] y) {}

    /**
     * @param raw {@code count * size} feature values as doubles (standardised data), or {@code null}
     * @param plain {@code count * size} feature values as floats (data not standardised), or {@code null}
     * @param featureNames names of the {@code size} features, or empty
     * @param labels class labels (classification; without {@code keys} and {@code indices} only the
     *     classes of data to predict on), or {@code null}
     * @param values {@code count * targets} regression values, or {@code null}
     * @param targets regression values per sample (the spec's, also without values)
     */
    TabularData(String name, long[] shape, double[] raw, float[] plain, List<String> featureNames, Task task, Labels labels, double[] values,
            int targets, boolean standardize, boolean standardizeTarget) {
        this.name = name;
        this.shape = shape.clone();
        this.size = (int) new DataSpec(shape, 1).sampleSize();
        if ((raw != null) != standardize || (raw == null) == (plain == null)) {
            throw new IllegalArgumentException("standardised data comes as doubles, other data as floats");
        }
        this.count = (raw != null ? raw.length : plain.length) / size;
        this.raw = raw;
        this.plain = plain;
        this.featureNames = List.copyOf(featureNames);
        this.task = task;
        this.labels = labels;
        this.values = values;
        this.targets = targets;
        this.standardize = standardize;
        this.standardizeTarget = standardizeTarget && values != null;
        if (labels != null) {
            this.classNames = labels.names();
            this.numClasses = labels.numClasses();
        } else {
            this.classNames = List.of();
            this.numClasses = 1;
        }
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasTargets() {
        return (labels != null && labels.present()) || values != null;
    }

    @Override
    public DataSpec spec() {
        if (task == Task.REGRESSION) {
            return DataSpec.regression(shape, targets);
        }
        List<String> names = classNames;
        return names.isEmpty() ? new DataSpec(shape, Math.max(1, numClasses)) : DataSpec.classes(shape, names);
    }

    /** The feature means this loader standardises with (for tests). */
    double[] featureMean() {
        prepared();
        return mean == null ? null : mean.clone();
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        prepared(); // fits the statistics when nothing was loaded
        if (!featureNames.isEmpty()) {
            DataState.putStrings(state, DataState.FEATURE_NAMES, featureNames);
        }
        if (standardize) {
            DataState.putDoubles(state, DataState.FEATURE_MEAN, mean);
            DataState.putDoubles(state, DataState.FEATURE_STD, std);
        }
        if (standardizeTarget) {
            DataState.putDoubles(state, DataState.TARGET_MEAN, targetMean);
            DataState.putDoubles(state, DataState.TARGET_STD, targetStd);
        }
        if (task == Task.CLASSIFICATION) {
            state.put(DataState.NUM_CLASSES, spec().numClasses());
            if (!classNames.isEmpty()) {
                DataState.putStrings(state, DataState.CLASS_NAMES, classNames);
            }
        }
    }

    @Override
    public synchronized void loadState(Checkpoint.Section state) {
        List<String> names = DataState.strings(state, DataState.FEATURE_NAMES);
        if (names != null && !featureNames.isEmpty() && !names.equals(featureNames)) {
            throw new BadInputException(name + ": its features " + featureNames + " are not those of the train data, "
                    + names + ": list the same columns, in the same order (features = [...])");
        }
        double[] m = DataState.doubles(state, DataState.FEATURE_MEAN);
        double[] s = DataState.doubles(state, DataState.FEATURE_STD);
        if (standardize && m != null && s != null) {
            if (m.length != size || s.length != size) {
                throw new BadInputException(name + ": its samples have " + size + " features, the train data's statistics are for "
                        + m.length);
            }
            mean = m;
            std = s;
        }
        double[] tm = DataState.doubles(state, DataState.TARGET_MEAN);
        double[] ts = DataState.doubles(state, DataState.TARGET_STD);
        // the train targets' statistics: what this data's targets are standardised with, and what a
        // model trained on them predicts in (data to predict on takes them whatever its options say)
        if (task == Task.REGRESSION && tm != null && ts != null && tm.length == ts.length
                && (values == null || tm.length == targets)) {
            targetMean = tm;
            targetStd = ts;
        }
        if (task == Task.CLASSIFICATION) {
            List<String> classes = DataState.strings(state, DataState.CLASS_NAMES);
            long n = state.getLong(DataState.NUM_CLASSES, -1);
            if (classes != null) {
                takeClasses(classes);
            } else if (n > 0 && labels != null && labels.indices() != null) {
                if (n < numClasses) {
                    throw new BadInputException(name + ": its labels go up to " + (numClasses - 1) + " but the train data has "
                            + n + " classes");
                }
                numClasses = (int) n;
            } else if (n > 0 && (labels == null || !labels.present())) {
                numClasses = (int) n;
            }
        }
        prepared = null;
    }

    private void takeClasses(List<String> names) {
        if (labels != null && labels.keys() != null) {
            List<String> unknown = new ArrayList<>();
            for (String k : labels.where().keySet()) {
                if (!names.contains(k)) {
                    unknown.add(k);
                }
            }
            if (!unknown.isEmpty()) {
                String first = unknown.get(0);
                List<String> more = new ArrayList<>();
                for (String k : unknown.subList(1, Math.min(unknown.size(), 6))) {
                    more.add("'" + k + "' at " + labels.where().get(k));
                }
                throw new BadInputException(labels.where().get(first) + ": label '" + first + "' is not a class of the train data,"
                        + " whose classes are " + names + (more.isEmpty() ? "" : "; nor are " + String.join(", ", more)
                        + (unknown.size() > 6 ? " ..." : "")));
            }
        } else if (labels != null && labels.present() && labels.numClasses() > names.size()) {
            throw new BadInputException(name + ": its labels go up to " + (labels.numClasses() - 1) + " but the train data has "
                    + names.size() + " classes " + names);
        }
        classNames = List.copyOf(names);
        numClasses = names.size();
    }

    private Prepared prepared() {
        Prepared p = prepared;
        if (p == null) {
            synchronized (this) {
                p = prepared;
                if (p == null) {
                    p = prepare();
                    prepared = p;
                }
            }
        }
        return p;
    }

    private Prepared prepare() {
        float[] x = plain;
        if (standardize) {
            x = new float[raw.length];
            if (mean == null) {
                double[][] ms = fit(raw, size);
                mean = ms[0];
                std = ms[1];
                LOG.debug("{}: standardised with its own statistics", name);
            }
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < size; j++) {
                    x[i * size + j] = (float) ((raw[i * size + j] - mean[j]) / std[j]);
                }
            }
        }
        int[] classes = null;
        if (labels != null && labels.present()) {
            classes = new int[count];
            if (labels.keys() != null) {
                List<String> names = classNames;
                Map<String, Integer> index = new java.util.HashMap<>();
                for (int c = 0; c < names.size(); c++) {
                    index.put(names.get(c), c);
                }
                for (int i = 0; i < count; i++) {
                    Integer c = index.get(labels.keys()[i]);
                    if (c == null) {
                        throw new BadInputException(name + ": label '" + labels.keys()[i] + "' (" + labels.where().get(labels.keys()[i])
                                + ") is not one of the classes " + names);
                    }
                    classes[i] = c;
                }
            } else {
                System.arraycopy(labels.indices(), 0, classes, 0, count);
            }
        }
        float[] y = null;
        if (values != null) {
            y = new float[values.length];
            if (standardizeTarget) {
                if (targetMean == null) {
                    double[][] ms = fit(values, targets);
                    targetMean = ms[0];
                    targetStd = ms[1];
                }
                for (int i = 0; i < count; i++) {
                    for (int t = 0; t < targets; t++) {
                        y[i * targets + t] = (float) ((values[i * targets + t] - targetMean[t]) / targetStd[t]);
                    }
                }
            } else {
                for (int i = 0; i < values.length; i++) {
                    y[i] = (float) values[i];
                }
            }
        }
        return new Prepared(x, classes, y);
    }

    /**
     * A regression model's outputs in the units of the targets: when the train targets were
     * standardised, times their deviation plus their mean.
     */
    @Override
    public float[] targetValues(float[] outputs) {
        if (task != Task.REGRESSION) {
            return outputs;
        }
        prepared(); // fits the statistics when this is the train data and nothing was loaded
        double[] m = targetMean;
        double[] s = targetStd;
        if (m == null) {
            return outputs;
        }
        if (outputs.length != m.length) {
            throw new IllegalArgumentException(outputs.length + " outputs for the " + m.length + " targets of " + name);
        }
        float[] out = new float[outputs.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = (float) (outputs[t] * s[t] + m[t]);
        }
        return out;
    }

    /** Mean and population standard deviation of each of the {@code width} columns (1 where a column does not vary). */
    static double[][] fit(double[] v, int width) {
        int n = v.length / width;
        double[] mean = new double[width];
        double[] std = new double[width];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                mean[j] += v[i * width + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= Math.max(1, n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                double d = v[i * width + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < width; j++) {
            std[j] = Math.sqrt(std[j] / Math.max(1, n));
            if (!(std[j] > 0)) {
                std[j] = 1;
            }
        }
        return new double[][] {mean, std};
    }

    @Override
    public boolean read(int index, long epoch, BatchBuffers batch) {
        Prepared p = prepared();
        batch.input(p.x(), index * size);
        if (p.classes() != null) {
            batch.label(p.classes()[index]);
        } else if (p.y() != null) {
            batch.targets(p.y(), index * targets);
        }
        return true;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
