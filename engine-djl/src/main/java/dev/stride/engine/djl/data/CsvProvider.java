package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code csv}: a table of numbers, one sample per row: the feature columns are the input, the
 * label column a class name (classification) or a number (regression). Features are standardised
 * with the train data's statistics, which go into checkpoints and the other loaders.
 */
public final class CsvProvider implements DatasetProvider {
    /** At most 2^25 values (256 MB as doubles) per file. */
    static final long MAX_VALUES = 1L << 25;

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "a CSV table: numeric feature columns, a class or numeric label column";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public DataLoader create(Config options, Mode mode, long seed) {
        if (options.getIsNull("file")) {
            throw new BadInputException(Settings.where(options.origin()) + "file: not set; set it to the CSV file of this data"
                    + " section, e.g. file = \"data/tabular/iris_train.csv\"");
        }
        Path file = Path.of(options.getString("file"));
        String delimiterText = options.getString("delimiter");
        if (delimiterText.equals("\\t")) {
            delimiterText = "\t";
        }
        if (delimiterText.length() != 1 || delimiterText.charAt(0) == '"') {
            throw new BadInputException(Settings.where(options, "delimiter") + "delimiter: '" + delimiterText
                    + "' must be one character other than '\"' (\"\\t\" for a tab)");
        }
        TabularData.Task task = task(options);
        boolean standardize = options.getBoolean("standardize");
        boolean standardizeTarget = options.getBoolean("standardize-target");
        LoaderOptions loader = LoaderOptions.of(options);
        CsvTable t = CsvTable.read(file, options.getBoolean("header"), delimiterText.charAt(0), MAX_VALUES);

        // which columns
        List<String> columns = t.columns;
        int label;
        if (options.getIsNull("label")) {
            label = columns.size() - 1;
        } else if (options.getString("label").isEmpty()) {
            label = -1;
        } else {
            label = column(options, "label", options.getString("label"), columns);
        }
        int[] features;
        if (options.getIsNull("features")) {
            features = new int[columns.size() - (label >= 0 ? 1 : 0)];
            for (int c = 0, k = 0; c < columns.size(); c++) {
                if (c != label) {
                    features[k++] = c;
                }
            }
        } else {
            List<String> names = options.getStringList("features");
            if (names.isEmpty()) {
                throw new BadInputException(Settings.where(options, "features") + "features: empty; list the input columns, or"
                        + " remove the option to take every column but the label");
            }
            features = new int[names.size()];
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                features[i] = column(options, "features", names.get(i), columns);
                if (features[i] == label) {
                    throw new BadInputException(Settings.where(options, "features") + "features: '" + names.get(i)
                            + "' is the label column; a sample may not be its own input");
                }
                if (!seen.add(names.get(i))) {
                    throw new BadInputException(Settings.where(options, "features") + "features: '" + names.get(i) + "' is listed twice");
                }
            }
        }
        if (features.length == 0) {
            throw new BadInputException(file + ": no feature columns (the only column is the label)");
        }
        if (label < 0 && mode == Mode.TRAIN) {
            throw new BadInputException(Settings.where(options, "label") + "label = \"\" reads no targets, but data.train needs"
                    + " them: name the label column (or remove the option to take the last column)");
        }
        List<String> featureNames = new ArrayList<>();
        for (int c : features) {
            featureNames.add(columns.get(c));
        }

        // the values
        int n = t.rows.size();
        int d = features.length;
        double[] x = new double[n * d];
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < n && problems.size() < 10; r++) {
            String[] row = t.rows.get(r);
            for (int k = 0; k < d && problems.size() < 10; k++) {
                x[r * d + k] = number(t, r, features[k], row[features[k]], "feature", problems);
            }
        }
        double[] values = null;
        TabularData.Labels labels = null;
        if (label >= 0 && task == TabularData.Task.REGRESSION) {
            values = new double[n];
            for (int r = 0; r < n && problems.size() < 10; r++) {
                values[r] = number(t, r, label, t.rows.get(r)[label], "target", problems);
            }
        } else if (label >= 0) {
            String[] keys = new String[n];
            Map<String, String> where = new LinkedHashMap<>();
            for (int r = 0; r < n; r++) {
                keys[r] = t.rows.get(r)[label];
                if (keys[r].isEmpty() && problems.size() < 10) {
                    problems.add(t.where(r, label) + ": the label (column '" + columns.get(label) + "') is empty");
                }
                where.putIfAbsent(keys[r], t.where(r, label));
            }
            List<String> names = classNames(options, where, problems);
            labels = new TabularData.Labels(keys, null, where, names, names.size());
        } else if (!options.getIsNull("classes")) {
            // data to predict on: the class names the predictions are named with
            List<String> names = classNames(options, Map.of(), problems);
            labels = new TabularData.Labels(null, null, Map.of(), names, names.size());
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + (problems.size() >= 10 ? " or more" : "") + " problems in " + file + ":\n  "
                            + String.join("\n  ", problems));
        }
        if (n == 0) {
            throw new BadInputException("data file " + file + " has no rows" + (options.getBoolean("header") ? " below its header" : ""));
        }
        TabularData data = new TabularData("csv " + file, new long[] {d}, standardize ? x : null, standardize ? null : floats(x),
                featureNames, task, labels, values, 1, standardize, standardizeTarget);
        return loader.loader(data, seed);
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static TabularData.Task task(Config options) {
        String task = options.getString("task").toLowerCase(Locale.ROOT);
        return switch (task) {
            case "classification" -> TabularData.Task.CLASSIFICATION;
            case "regression" -> TabularData.Task.REGRESSION;
            default -> throw new BadInputException(Settings.where(options, "task") + "task: '" + task
                    + "' is not classification or regression" + Settings.didYouMean(task, List.of("classification", "regression")));
        };
    }

    /** The class order: the user's list, or the sorted distinct labels (by value when all are numbers). */
    private static List<String> classNames(Config options, Map<String, String> where, List<String> problems) {
        if (!options.getIsNull("classes")) {
            List<String> names = options.getStringList("classes");
            if (names.isEmpty() || new HashSet<>(names).size() != names.size()) {
                throw new BadInputException(Settings.where(options, "classes") + "classes: " + names
                        + " must list each class name once");
            }
            for (Map.Entry<String, String> e : where.entrySet()) {
                if (!names.contains(e.getKey()) && problems.size() < 10) {
                    problems.add(e.getValue() + ": label '" + e.getKey() + "' is not one of the classes " + names + " ("
                            + Settings.where(options, "classes").replaceAll(": $", "") + ")"
                            + Settings.didYouMean(e.getKey(), names));
                }
            }
            return names;
        }
        List<String> names = new ArrayList<>(where.keySet());
        boolean numeric = names.stream().allMatch(CsvProvider::isNumber);
        names.sort(numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
        return names;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double number(CsvTable t, int row, int column, String text, String what, List<String> problems) {
        String name = t.columns.get(column);
        if (text.isEmpty()) {
            problems.add(t.where(row, column) + ": the " + what + " '" + name + "' is empty (missing values are not supported:"
                    + " fill them in or drop the row)");
            return 0;
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
            problems.add(t.where(row, column) + ": the " + what + " '" + name + "' is '" + text + "', not a finite number");
        } catch (NumberFormatException e) {
            problems.add(t.where(row, column) + ": the " + what + " '" + name + "' is '" + text + "', not a number"
                    + (what.equals("feature") ? " (leave text columns out with features = [...], or encode them as numbers)"
                            : " (for class names use task = classification)"));
        }
        return 0;
    }

    /** The index of column {@code name}, or an error at the option naming the columns there are. */
    private static int column(Config options, String key, String name, List<String> columns) {
        int c = columns.indexOf(name);
        if (c < 0) {
            throw new BadInputException(Settings.where(options, key) + key + ": the file has no column '" + name + "'"
                    + Settings.didYouMean(name, columns) + "; its columns are " + columns);
        }
        return c;
    }
}
