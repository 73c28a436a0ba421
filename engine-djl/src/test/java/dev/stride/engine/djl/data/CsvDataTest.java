package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.spi.ProviderKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** csv: columns, classes, standardisation with the train data's statistics, regression, bad input with file:line:column. */
class CsvDataTest {
    static final String IRIS = "../data/tabular/iris_train.csv";
    static final String IRIS_TEST = "../data/tabular/iris_test.csv";

    @TempDir
    Path tmp;

    static DataLoader csv(String hocon, Mode mode) {
        var p = new DataLoaderTest.DatasetProviderHolder(new CsvProvider());
        return p.provider().create(DataLoaderTest.options(hocon, p), mode, 3);
    }

    /** One batch holding the whole data, in file order: inputs and targets. */
    static float[][] all(DataLoader loader) {
        try (BatchStream s = loader.open(0, 0); Batch b = s.next()) {
            DjlBatch d = (DjlBatch) b;
            float[] x = d.x().toFloatArray();
            float[] y = !d.hasTargets() ? null : d.y().getDataType().isInteger() ? toFloats(d.y().toLongArray()) : d.y().toFloatArray();
            return new float[][] {x, y};
        }
    }

    static float[] toFloats(long[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    /** The file's numbers, read plainly: rows of doubles (the last column left out). */
    static List<double[]> rows(String file) throws Exception {
        List<double[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(file));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] r = new double[f.length - 1];
            for (int i = 0; i < r.length; i++) {
                r[i] = Double.parseDouble(f[i]);
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void irisClassesAreTheSortedNamesAndFeaturesAreStandardisedWithTheTrainStatistics() throws Exception {
        DataLoader train = csv("file = \"" + IRIS + "\", batch-size = 1000", Mode.TRAIN);
        assertEquals(List.of("setosa", "versicolor", "virginica"), train.spec().classNames());
        assertArrayEquals(new long[] {4}, train.spec().sampleShape());
        assertEquals(120, train.samples());
        float[][] t = all(train);
        // the train data's own mean and population deviation, computed here in double
        List<double[]> rows = rows(IRIS);
        double[] mean = new double[4];
        double[] std = new double[4];
        for (double[] r : rows) {
            for (int j = 0; j < 4; j++) {
                mean[j] += r[j] / rows.size();
            }
        }
        for (double[] r : rows) {
            for (int j = 0; j < 4; j++) {
                std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / rows.size();
            }
        }
        for (int j = 0; j < 4; j++) {
            std[j] = Math.sqrt(std[j]);
        }
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals((float) ((rows.get(i)[j] - mean[j]) / std[j]), t[0][i * 4 + j], 1e-6f, "row " + i + " col " + j);
            }
        }
        assertEquals(0f, t[1][0], "the first row is setosa, class 0");

        // the test split takes the train statistics and class order
        DataLoader test = csv("file = \"" + IRIS_TEST + "\", batch-size = 1000", Mode.VAL);
        Checkpoint ck = new Checkpoint();
        train.saveState(ck.section("data.", "data."));
        test.loadState(ck.section("data.", "data."));
        float[][] v = all(test);
        List<double[]> testRows = rows(IRIS_TEST);
        for (int i = 0; i < testRows.size(); i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals((float) ((testRows.get(i)[j] - mean[j]) / std[j]), v[0][i * 4 + j], 1e-6f);
            }
        }
    }

    @Test
    void theStatisticsSurviveACheckpointFileAndTheClassOrderReachesValData() throws Exception {
        Path train = tmp.resolve("train.csv");
        Files.writeString(train, "a,b,kind\n1,10,zebra\n3,10,ant\n5,10,zebra\n");
        Path val = tmp.resolve("val.csv");
        Files.writeString(val, "a,b,kind\n2,11,zebra\n");
        DataLoader t = csv("file = \"" + train + "\"", Mode.TRAIN);
        Checkpoint ck = new Checkpoint();
        t.saveState(ck.section("data.", "data."));
        Path file = tmp.resolve("c.safetensors");
        CheckpointFiles.write(file, ck);
        Checkpoint read = CheckpointFiles.read(file);
        assertEquals("[\"ant\",\"zebra\"]", read.metadata().get("data.class-names"));
        assertEquals("[3.0,10.0]", read.metadata().get("data.feature-mean"));

        DataLoader v = csv("file = \"" + val + "\"", Mode.VAL);
        assertEquals(List.of("zebra"), v.spec().classNames(), "its own labels until it has the train data's");
        v.loadState(read.section("data.", "data."));
        assertEquals(List.of("ant", "zebra"), v.spec().classNames());
        float[][] x = all(v);
        double sa = Math.sqrt(8.0 / 3);
        assertArrayEquals(new float[] {(float) ((2 - 3) / sa), (float) ((11 - 10) / 1.0)}, x[0], 1e-7f,
                "standardised with the train mean and deviation; the constant column b is divided by 1");
        assertArrayEquals(new float[] {1}, x[1], "zebra is class 1 of the train data");

        Path other = tmp.resolve("other.csv");
        Files.writeString(other, "a,b,kind\n2,11,lion\n");
        DataLoader o = csv("file = \"" + other + "\"", Mode.VAL);
        BadInputException e = assertThrows(BadInputException.class, () -> o.loadState(read.section("data.", "data.")));
        assertTrue(e.getMessage().startsWith(other + ":2:6: label 'lion' is not a class of the train data") && e.getMessage().contains("[ant, zebra]"), e.getMessage());
    }

    @Test
    void columnsAreChosenByNameAndClassesMayBeGivenInOrder() throws Exception {
        DataLoader l = csv("file = \"" + IRIS + "\", features = [petal_width_cm, sepal_length_cm], label = target, "
                + "classes = [virginica, versicolor, setosa], standardize = false, batch-size = 1000", Mode.TRAIN);
        float[][] t = all(l);
        assertArrayEquals(new float[] {0.3f, 4.8f, 2}, new float[] {t[0][0], t[0][1], t[1][0]}, "setosa is class 2 here");
        assertEquals(List.of("virginica", "versicolor", "setosa"), l.spec().classNames());
    }

    @Test
    void regressionTargetsAreFloatValuesOptionallyStandardised() throws Exception {
        DataLoader l = csv("file = \"../data/tabular/diabetes_train.csv\", task = regression, batch-size = 1000", Mode.TRAIN);
        assertTrue(l.spec().isRegression());
        assertEquals(1, l.spec().targets());
        try (BatchStream s = l.open(0, 0); Batch b = s.next()) {
            DjlBatch d = (DjlBatch) b;
            assertEquals(new ai.djl.ndarray.types.Shape(353, 1), d.y().getShape());
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, d.y().getDataType());
            assertEquals(85f, d.y().toFloatArray()[0], "the first row's target, raw");
        }
        DataLoader st = csv("file = \"../data/tabular/diabetes_train.csv\", task = regression, standardize-target = true,"
                + " batch-size = 1000", Mode.TRAIN);
        float[] y = all(st)[1];
        double m = 0;
        for (float v : y) {
            m += v / y.length;
        }
        assertEquals(0, m, 1e-5);
        Checkpoint ck = new Checkpoint();
        st.saveState(ck.section("data.", "data."));
        double targetMean = Double.parseDouble(ck.metadata().get("data.target-mean").replaceAll("[\\[\\]]", ""));
        assertEquals(151.6, targetMean, 0.1, "the README's train mean of the target");
    }

    @Test
    void predictionsOfStandardisedTargetsAreTurnedBackIntoTheTargetsUnits() throws Exception {
        DataLoader train = csv("file = \"../data/tabular/diabetes_train.csv\", task = regression, standardize-target = true,"
                + " batch-size = 1000", Mode.TRAIN);
        float[] y = all(train)[1];
        Checkpoint ck = new Checkpoint();
        train.saveState(ck.section("data.", "data."));
        // the train data itself: a standardised target back to its raw value (85, the first row's)
        assertEquals(85f, train.targetValues(new float[] {y[0]})[0], 1e-3f);
        // data to predict on, without the target column and without standardize-target: the train statistics still apply
        Path f = tmp.resolve("features.csv");
        List<String> lines = Files.readAllLines(Path.of("../data/tabular/diabetes_test.csv"));
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line, 0, line.lastIndexOf(',')).append('\n');
        }
        Files.writeString(f, sb.toString());
        DataLoader predict = csv("file = \"" + f + "\", label = \"\", task = regression", Mode.VAL);
        assertFalse(predict.hasTargets());
        assertEquals(null, all(predict)[1]);
        assertArrayEquals(new float[] {7f}, predict.targetValues(new float[] {7f}), "no statistics yet: values as they are");
        predict.loadState(ck.section("data.", "data."));
        double mean = Double.parseDouble(ck.metadata().get("data.target-mean").replaceAll("[\\[\\]]", ""));
        double std = Double.parseDouble(ck.metadata().get("data.target-std").replaceAll("[\\[\\]]", ""));
        assertEquals((float) (mean + 2 * std), predict.targetValues(new float[] {2f})[0], 1e-3f);
        assertEquals((float) mean, predict.targetValues(new float[] {0f})[0], 1e-4f);
        // classes are no values to turn back
        DataLoader iris = csv("file = \"" + IRIS + "\"", Mode.TRAIN);
        assertArrayEquals(new float[] {0.2f, 0.8f}, iris.targetValues(new float[] {0.2f, 0.8f}));
        assertTrue(iris.hasTargets());
        assertEquals(null, iris.sampleName(0), "rows are numbered, not named");
    }

    @Test
    void predictDataWithoutLabelsHasNoTargetsButTheClasses() throws Exception {
        Path f = tmp.resolve("p.csv");
        Files.writeString(f, "a,b\n1,2\n3,4\n");
        DataLoader l = csv("file = \"" + f + "\", label = \"\", classes = [x, y, z]", Mode.VAL);
        assertEquals(List.of("x", "y", "z"), l.spec().classNames());
        assertEquals(null, all(l)[1]);
        BadInputException e = assertThrows(BadInputException.class, () -> csv("file = \"" + f + "\", label = \"\"", Mode.TRAIN));
        assertTrue(e.getMessage().contains("data.train needs them"), e.getMessage());
    }

    @Test
    void shardsTogetherSeeTheGlobalBatchesAndAnEpochStartsAtAnyBatch() {
        String base = "file = \"../data/tabular/wine_train.csv\", shuffle = true, prefetch = 0, ";
        DataLoader whole = csv(base + "batch-size = 16", Mode.TRAIN);
        DataLoader a = csv(base + "batch-size = 8, shard = 0, shards = 2", Mode.TRAIN);
        DataLoader b = csv(base + "batch-size = 8, shard = 1, shards = 2, prefetch = 2", Mode.TRAIN);
        List<long[]> w = DataLoaderTest.labels(whole, 4, 0);
        List<long[]> x = DataLoaderTest.labels(a, 4, 0);
        List<long[]> y = DataLoaderTest.labels(b, 4, 0);
        assertEquals(9, w.size(), "142 rows in batches of 16");
        for (int i = 0; i < w.size(); i++) {
            long[] joined = new long[x.get(i).length + y.get(i).length];
            System.arraycopy(x.get(i), 0, joined, 0, x.get(i).length);
            System.arraycopy(y.get(i), 0, joined, x.get(i).length, y.get(i).length);
            assertArrayEquals(w.get(i), joined, "batch " + i);
        }
        List<long[]> tail = DataLoaderTest.labels(whole, 4, 5);
        for (int i = 0; i < tail.size(); i++) {
            assertArrayEquals(w.get(5 + i), tail.get(i));
        }
    }

    // ---- bad input

    private BadInputException bad(String csvText, String hocon) throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, csvText);
        return assertThrows(BadInputException.class, () -> csv("file = \"" + f + "\"" + hocon, Mode.TRAIN));
    }

    @Test
    void aRowWithTheWrongFieldCountIsNamedByFileAndLine() throws Exception {
        BadInputException e = bad("a,b,c\n1,2,x\n\n1,2\n", "");
        assertTrue(e.getMessage().contains("bad.csv:4: 2 fields but the header has 3 columns [a, b, c]"), e.getMessage());
        e = bad("a,b,c\n1;2;x\n", "");
        assertTrue(e.getMessage().contains("are the fields separated by ';'? set delimiter"), e.getMessage());
    }

    @Test
    void aNonNumericFeatureIsNamedByFileLineAndColumn() throws Exception {
        BadInputException e = bad("a,b,c\n1,2,x\n1, abc ,y\n,3,y\n", "");
        assertTrue(e.getMessage().contains("2 problems in"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.csv:3:4: the feature 'b' is 'abc', not a number"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.csv:4:1: the feature 'a' is empty"), e.getMessage());
        e = bad("a,b\n1,NaN\n", ", task = regression");
        assertTrue(e.getMessage().contains("bad.csv:2:3: the target 'b' is 'NaN', not a finite number"), e.getMessage());
    }

    @Test
    void anUnknownColumnInTheOptionsNamesTheOptionsLineAndTheColumns() throws Exception {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "alpha,beta,target\n1,2,a\n");
        Path conf = tmp.resolve("job.conf");
        Files.writeString(conf, "data {\n  train {\n    file = \"" + f + "\"\n    features = [alpha, betta]\n  }\n}\n");
        var p = new DataLoaderTest.DatasetProviderHolder(new CsvProvider());
        var options = ConfigFactory.parseFile(conf.toFile(), ConfigParseOptions.defaults()).getConfig("data.train")
                .withFallback(ProviderRegistry.defaults(ProviderKind.DATASET, p.provider()));
        BadInputException e = assertThrows(BadInputException.class, () -> p.provider().create(options, Mode.TRAIN, 1));
        assertTrue(e.getMessage().contains("job.conf:4: features: the file has no column 'betta' (did you mean 'beta'?)")
                && e.getMessage().contains("its columns are [alpha, beta, target]"), e.getMessage());
    }

    @Test
    void otherMistakesAreNamed() throws Exception {
        assertTrue(bad("a,b\n", "").getMessage().contains("has no rows below its header"));
        assertTrue(bad("a,b\n1,x\n", ", classes = [y, z]").getMessage().contains("bad.csv:2:3: label 'x' is not one of the classes [y, z]"));
        assertTrue(bad("a,b\n1,x\n", ", task = regresion").getMessage().contains("did you mean 'regression'"));
        assertTrue(bad("a,a\n1,x\n", "").getMessage().contains("bad.csv:1:3: the header names column 'a' twice"));
        assertTrue(bad("a,b\n1,\"x\n", "").getMessage().contains("bad.csv:2:3: a quoted field is not closed"));
        BadInputException e = assertThrows(BadInputException.class, () -> csv("file = \"" + tmp.resolve("none.csv") + "\"", Mode.TRAIN));
        assertTrue(e.getMessage().contains("none.csv does not exist"), e.getMessage());
        assertFalse(bad("a,b\n1,x\n", ", label = a").getMessage().isEmpty());
    }

    @Test
    void quotedFieldsAndOtherDelimitersAndNoHeader() throws Exception {
        Path f = tmp.resolve("q.csv");
        Files.writeString(f, "1.5\t\"a\"\"b\"\n2.5\tc\n");
        DataLoader l = csv("file = \"" + f + "\", header = false, delimiter = \"\\t\", standardize = false", Mode.TRAIN);
        assertEquals(List.of("a\"b", "c"), l.spec().classNames());
        assertArrayEquals(new float[] {1.5f, 2.5f}, all(l)[0]);
        assertEquals(Map.of(), Map.of());
    }
}
