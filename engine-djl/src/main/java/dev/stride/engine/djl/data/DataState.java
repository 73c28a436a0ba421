package dev.stride.engine.djl.data;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What the train data was prepared with, in a checkpoint's {@code data.} section: class names,
 * feature names, standardisation means and deviations, as JSON lists (doubles round-trip exactly).
 * The keys are shared by the data sets, so a test or predict loader of any kind reads them.
 */
final class DataState {
    /** The class names in class order: class {@code i} is label {@code i}. */
    static final String CLASS_NAMES = "class-names";
    /** The number of classes of classification data. */
    static final String NUM_CLASSES = "num-classes";
    /** The input columns, in input order. */
    static final String FEATURE_NAMES = "feature-names";
    /** Per input column: subtracted, then divided by the deviation. */
    static final String FEATURE_MEAN = "feature-mean";
    static final String FEATURE_STD = "feature-std";
    /** Regression targets standardised for training: their mean and deviation. */
    static final String TARGET_MEAN = "target-mean";
    static final String TARGET_STD = "target-std";

    private DataState() {}

    static void putStrings(Checkpoint.Section s, String key, List<String> values) {
        s.put(key, Json.write(values));
    }

    static void putDoubles(Checkpoint.Section s, String key, double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        s.put(key, Json.write(list));
    }

    /** The list at {@code key}, or {@code null} when the section has none. */
    static List<String> strings(Checkpoint.Section s, String key) {
        List<?> list = list(s, key);
        if (list == null) {
            return null;
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String str)) {
                throw malformed(key, "a list of strings");
            }
            out.add(str);
        }
        return out;
    }

    /** The numbers at {@code key}, or {@code null} when the section has none. */
    static double[] doubles(Checkpoint.Section s, String key) {
        List<?> list = list(s, key);
        if (list == null) {
            return null;
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw malformed(key, "a list of finite numbers");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    private static List<?> list(Checkpoint.Section s, String key) {
        String text = s.get(key);
        if (text == null) {
            return null;
        }
        try {
            if (Json.parse(text) instanceof List<?> l) {
                return l;
            }
        } catch (Json.SyntaxException e) {
            // reported below
        }
        throw malformed(key, "a JSON list");
    }

    private static BadInputException malformed(String key, String what) {
        return new BadInputException("the train data's statistics (data." + key + " in the checkpoint) are not " + what
                + ": the checkpoint was not written by this Stride, or was altered");
    }
}
