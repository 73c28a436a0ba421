package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stride predict} through the real command line, on checkpoints of tiny runs: a classifier
 * of MNIST IDX data, one of PNG class folders (random crops in training), an iris classifier and a
 * diabetes regressor on CSV tables. Its predictions agree with what training logged and with
 * {@code stride test}, whatever form the same samples come in (a data section, a folder of images
 * with or without class folders, a CSV with or without its label column, a {@code .npy} array);
 * its mistakes end with exit status 2, a message and nothing on disk changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictIT {
    @TempDir
    static Path tmp;
    /** The checkpoints, by run: idx, png, iris, diabetes. */
    final Map<String, Path> ck = new HashMap<>();
    /** The last val record of each run's JSON log. */
    final Map<String, Map<String, Object>> loggedVal = new HashMap<>();

    private static String job(Path work, int epochs, int seed, String model, String train, String val, String optimizer) {
        return """
                runner { type = epoch, max-epochs = %d }
                workflow = [[train, %d], [val, 1]]
                seed = %d
                work-dir = "%s"
                model { %s }
                data {
                  train { %s }
                  val { %s }
                }
                optimizer { %s }
                hooks = [
                  { type = checkpoint, interval = %d }
                  { type = json-logger, interval = 10 }
                ]
                """.formatted(epochs, epochs, seed, work, model, train, val, optimizer, epochs);
    }

    @BeforeAll
    void trainFourTinyModels() throws Exception {
        String idx = Configs.mnistRoot();
        String png = Configs.mnistPng();
        String tab = Configs.tabular();
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("idx", job(tmp.resolve("idx"), 1, 7, "type = mlp, hidden = [64]",
                "type = mnist-idx, root = \"" + idx + "\", split = train, batch-size = 32, shuffle = true, limit = 960",
                "type = mnist-idx, root = \"" + idx + "\", split = t10k, batch-size = 250, limit = 500",
                "type = sgd, lr = 0.1, momentum = 0.9"));
        // trained on random 28x28 crops of images resized to 32x32; validated on the center crops
        jobs.put("png", job(tmp.resolve("png"), 1, 5, "type = mlp, hidden = [64]",
                "type = image-folder, root = \"" + png + "/train\", channels = 1, size = [32, 32], crop = random, crop-size = [28, 28],"
                        + " mean = [0.1307], std = [0.3081], batch-size = 32, shuffle = true, limit = 960",
                "type = image-folder, root = \"" + png + "/test\", channels = 1, size = [32, 32], crop = center, crop-size = [28, 28],"
                        + " mean = [0.1307], std = [0.3081], batch-size = 100, limit = 300",
                "type = sgd, lr = 0.05, momentum = 0.9"));
        jobs.put("iris", job(tmp.resolve("iris"), 10, 1, "type = mlp, hidden = [32]",
                "type = csv, file = \"" + tab + "/iris_train.csv\", label = target, batch-size = 16, shuffle = true",
                "type = csv, file = \"" + tab + "/iris_test.csv\", label = target, batch-size = 30",
                "type = adam, lr = 0.01"));
        jobs.put("diabetes", job(tmp.resolve("diabetes"), 10, 1, "type = mlp, hidden = [64]",
                "type = csv, file = \"" + tab + "/diabetes_train.csv\", label = target, task = regression, standardize-target = true,"
                        + " batch-size = 32, shuffle = true",
                "type = csv, file = \"" + tab + "/diabetes_test.csv\", label = target, task = regression, standardize-target = true,"
                        + " batch-size = 89",
                "type = adam, lr = 0.01"));
        // two at a time: most of a tiny run is the JVM and the engine starting
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<StrideCli.Result>> runs = new LinkedHashMap<>();
            for (Map.Entry<String, String> j : jobs.entrySet()) {
                Path cfg = Configs.write(tmp, j.getKey() + ".conf", j.getValue());
                runs.put(j.getKey(), pool.submit(() -> StrideCli.run(tmp, "train", cfg.toString())));
            }
            for (Map.Entry<String, Future<StrideCli.Result>> r : runs.entrySet()) {
                StrideCli.Result result = r.getValue().get();
                assertEquals(0, result.exit(), r.getKey() + ": " + result.all());
                Path work = tmp.resolve(r.getKey());
                try (var files = Files.list(work)) {
                    ck.put(r.getKey(), files.filter(p -> p.getFileName().toString().matches("epoch_\\d+\\.safetensors")).findFirst()
                            .orElseThrow());
                }
                List<Map<String, Object>> log = Configs.jsonLog(work);
                loggedVal.put(r.getKey(), log.get(log.size() - 1));
                assertEquals("val", log.get(log.size() - 1).get("mode"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers

    private StrideCli.Result predict(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "predict";
        System.arraycopy(args, 0, all, 1, args.length);
        return StrideCli.run(tmp, all);
    }

    /** Runs predict into a new file and returns its lines split at commas (no quoted cells in these tests). */
    private List<String[]> predictRows(String name, String... args) throws Exception {
        Path out = tmp.resolve(name + ".csv");
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        StrideCli.Result r = predict(all);
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Predicted "), r.out());
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("." + name + ".csv.tmp-")), "no temporary file left");
        }
        return rows(Files.readString(out));
    }

    private static List<String[]> rows(String csv) {
        List<String[]> out = new ArrayList<>();
        for (String line : csv.split("\n")) {
            out.add(line.split(",", -1));
        }
        return out;
    }

    /** The probabilities of a classifier's row, from column {@code from}; checks they sum to 1 and the class is their argmax. */
    private static float[] probabilities(String[] row, int from) {
        float[] p = new float[row.length - from];
        double sum = 0;
        int best = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Float.parseFloat(row[from + i]);
            assertTrue(p[i] >= 0 && p[i] <= 1, Arrays.toString(row));
            sum += p[i];
            best = p[i] > p[best] ? i : best;
        }
        assertEquals(1.0, sum, 1e-5, "probabilities of " + Arrays.toString(row));
        assertEquals(best, Integer.parseInt(row[from - 2]), "the class is the most probable one: " + Arrays.toString(row));
        return p;
    }

    /**
     * The same prediction: equal cells before {@code firstNumber}, probabilities equal within
     * rounding (the same sample in a batch of another size is computed in another order).
     */
    private static void assertSamePrediction(List<String> expected, List<String> actual, int firstNumber, String what) {
        assertEquals(expected.size(), actual.size(), what);
        assertEquals(expected.subList(0, firstNumber), actual.subList(0, firstNumber), what);
        for (int i = firstNumber; i < expected.size(); i++) {
            assertEquals(Float.parseFloat(expected.get(i)), Float.parseFloat(actual.get(i)), 1e-5, what + ": " + actual);
        }
    }

    private static void assertUserError(StrideCli.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat ") || r.all().contains("internal error"), "no stack trace for a user mistake:\n" + r.all());
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** A little-endian float32 .npy file (format 1.0) of {@code shape}. */
    static void npy(Path file, float[] values, int... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $", shape.length == 1
                ? "," : "") + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        out.write(b.array());
        Files.write(file, out.toByteArray());
    }

    // ---- 1. a classifier of MNIST IDX data

    @Test
    void idxClassifierPredictsItsValDataAsTestAndTheLogSayAndTheSameImagesInAnyForm() throws Exception {
        List<String[]> rows = predictRows("idx-val", ck.get("idx").toString(), "--input", "data.val");
        assertEquals(List.of("index", "class", "name", "p_0", "p_1", "p_2", "p_3", "p_4", "p_5", "p_6", "p_7", "p_8", "p_9"),
                List.of(rows.get(0)));
        assertEquals(501, rows.size());
        byte[] labels = gunzip(Path.of(Configs.mnistRoot(), "t10k-labels-idx1-ubyte.gz"));
        int correct = 0;
        int[] correctPerClass = new int[10];
        for (int i = 1; i <= 500; i++) {
            String[] row = rows.get(i);
            assertEquals(i - 1, Integer.parseInt(row[0]));
            assertEquals(row[1], row[2], "MNIST's classes are named by their digits");
            probabilities(row, 3);
            if (Integer.parseInt(row[1]) == labels[8 + i - 1]) {
                correct++;
                correctPerClass[labels[8 + i - 1]]++;
            }
        }
        assertEquals((Double) loggedVal.get("idx").get("accuracy"), correct / 500.0, 1e-9, "the accuracy training logged");

        // stride test counts the same correct predictions per class
        Path testOut = tmp.resolve("idx-test");
        StrideCli.Result t = StrideCli.run(tmp, "test", ck.get("idx").toString(), "--out", testOut.toString());
        assertEquals(0, t.exit(), t.all());
        List<String> perClass = Files.readAllLines(testOut.resolve("per_class.csv"));
        for (int c = 0; c < 10; c++) {
            assertEquals(correctPerClass[c], Integer.parseInt(perClass.get(c + 1).split(",")[2]), "class " + c + ": " + perClass);
        }

        // the first 5 val images as a .npy array of [5, 28, 28] pixels in 0..1: the same probabilities
        byte[] images = gunzip(Path.of(Configs.mnistRoot(), "t10k-images-idx3-ubyte.gz"));
        float[] pixels = new float[5 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (images[16 + i] & 0xff) / 255f;
        }
        Path array = tmp.resolve("five.npy");
        npy(array, pixels, 5, 28, 28);
        List<String[]> fromNpy = predictRows("idx-npy", ck.get("idx").toString(), "--input", array.toString());
        assertEquals(6, fromNpy.size());
        for (int i = 1; i <= 5; i++) {
            assertSamePrediction(List.of(rows.get(i)), List.of(fromNpy.get(i)), 3, "sample " + (i - 1));
        }

        // val images 0, 1, 2 and 7 as PNG files in a folder without class folders: the same probabilities, rows named by file
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        Map<Integer, String> copied = new LinkedHashMap<>();
        for (int k : new int[] {0, 1, 2, 7}) {
            String name = String.format("%05d.png", k);
            Files.copy(Path.of(Configs.mnistPng(), "test", Integer.toString(labels[8 + k]), name), flat.resolve(name));
            copied.put(k, name);
        }
        List<String[]> fromPng = predictRows("idx-flat", ck.get("idx").toString(), "--input", flat.toString());
        assertEquals(List.of("index", "file", "class", "name"), List.of(fromPng.get(0)).subList(0, 4));
        int row = 1;
        for (Map.Entry<Integer, String> e : copied.entrySet()) {
            String[] r = fromPng.get(row);
            assertEquals(row - 1, Integer.parseInt(r[0]));
            assertEquals(e.getValue(), r[1]);
            String[] same = rows.get(e.getKey() + 1);
            assertSamePrediction(List.of(same).subList(1, same.length), List.of(r).subList(2, r.length), 2,
                    "IDX sample " + e.getKey() + " and " + e.getValue() + " are the same image");
            row++;
        }
    }

    // ---- 2. a classifier of PNG class folders

    @Test
    void pngClassifierPredictsFoldersWithTheTrainImagesOptionsWithoutAugmentation() throws Exception {
        List<String[]> val = predictRows("png-val", ck.get("png").toString(), "--input", "data.val");
        assertEquals(301, val.size());
        assertEquals(List.of("index", "file", "class", "name", "p_0"), List.of(val.get(0)).subList(0, 5));
        int correct = 0;
        Map<String, String[]> byFile = new HashMap<>();
        for (String[] r : val.subList(1, val.size())) {
            probabilities(r, 4);
            // the file is <class folder>/<index>.png: its folder is its label
            correct += r[1].substring(0, r[1].indexOf('/')).equals(r[3]) ? 1 : 0;
            byFile.put(r[1], r);
        }
        assertEquals((Double) loggedVal.get("png").get("accuracy"), correct / 300.0, 1e-9, "the accuracy training logged");

        // the whole test folder (2000 images, class sub-folders), read with data.train's options: resized to 32x32 and
        // center-cropped where training cropped at random; the 300 images of data.val (center crops) have the same rows
        List<String[]> all = predictRows("png-folder", ck.get("png").toString(), "--input", Configs.mnistPng() + "/test");
        assertEquals(2001, all.size());
        int same = 0;
        for (String[] r : all.subList(1, all.size())) {
            String[] v = byFile.get(r[1]);
            if (v != null) {
                assertSamePrediction(List.of(v).subList(1, v.length), List.of(r).subList(1, r.length), 3, r[1]);
                same++;
            }
        }
        assertEquals(300, same);

        // a folder of images without class folders: classes named as in training
        Path flat = Files.createDirectories(tmp.resolve("png-flat"));
        Files.copy(Path.of(Configs.mnistPng(), "test/3/00002.png"), flat.resolve("b.png"));
        Files.copy(Path.of(Configs.mnistPng(), "test/7/00051.png"), flat.resolve("a.png"));
        List<String[]> loose = predictRows("png-loose", ck.get("png").toString(), "--input", flat.toString());
        assertEquals(3, loose.size());
        assertEquals(List.of("a.png", "b.png"), List.of(loose.get(1)[1], loose.get(2)[1]));
        String[] whole = all.stream().filter(r -> r[1].equals("3/00002.png")).findFirst().orElseThrow();
        assertSamePrediction(List.of(whole).subList(2, whole.length), List.of(loose.get(2)).subList(2, whole.length), 2, "b.png");
    }

    // ---- 3. a CSV with and without its label column

    @Test
    void irisClassifierPredictsACsvByItsFeatureColumnsWithOrWithoutTheLabel() throws Exception {
        Path test = Path.of(Configs.tabular(), "iris_test.csv");
        List<String[]> labelled = predictRows("iris-labelled", ck.get("iris").toString(), "--input", test.toString());
        assertEquals(List.of("index", "class", "name", "p_setosa", "p_versicolor", "p_virginica"), List.of(labelled.get(0)));
        assertEquals(31, labelled.size());
        List<String> lines = Files.readAllLines(test);
        int correct = 0;
        for (int i = 1; i <= 30; i++) {
            probabilities(labelled.get(i), 3);
            correct += lines.get(i).endsWith("," + labelled.get(i)[2]) ? 1 : 0;
        }
        assertEquals((Double) loggedVal.get("iris").get("accuracy"), correct / 30.0, 1e-9, "the accuracy training logged");

        // only the features, in another order: read by name, standardised with the train data's statistics
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String[] c = line.split(",");
            sb.append(c[3]).append(',').append(c[1]).append(',').append(c[0]).append(',').append(c[2]).append('\n');
        }
        Path features = Configs.write(tmp, "iris_features.csv", sb.toString());
        assertTrue(sb.toString().startsWith("petal_width_cm,sepal_width_cm,sepal_length_cm,petal_length_cm\n"), sb.toString());
        List<String[]> unlabelled = predictRows("iris-unlabelled", ck.get("iris").toString(), "--input", features.toString());
        for (int i = 0; i <= 30; i++) {
            assertArrayEquals(labelled.get(i), unlabelled.get(i), "row " + i);
        }

        // a CSV without one of the model's features is refused, naming it and the columns there are
        Path wrong = Configs.write(tmp, "iris_wrong.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm\n5.1,3.5,1.4\n");
        Path out = tmp.resolve("iris-wrong.csv");
        StrideCli.Result r = predict(ck.get("iris").toString(), "--input", wrong.toString(), "--out", out.toString());
        assertUserError(r, "--input " + wrong, "the file has no column 'petal_width_cm'",
                "its columns are [sepal_length_cm, sepal_width_cm, petal_length_cm]");
        assertFalse(Files.exists(out));
    }

    // ---- 4. a regression

    @Test
    void diabetesRegressorWritesValuesInTheTargetsUnitsWhoseR2IsTheLoggedOne() throws Exception {
        Path test = Path.of(Configs.tabular(), "diabetes_test.csv");
        List<String[]> rows = predictRows("diabetes", ck.get("diabetes").toString(), "--input", test.toString());
        assertEquals(List.of("index", "value"), List.of(rows.get(0)));
        assertEquals(90, rows.size());
        List<String> lines = Files.readAllLines(test);
        double[] y = new double[89];
        double[] p = new double[89];
        double mean = 0;
        for (int i = 0; i < 89; i++) {
            String line = lines.get(i + 1);
            y[i] = Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
            p[i] = Double.parseDouble(rows.get(i + 1)[1]);
            assertEquals(i, Integer.parseInt(rows.get(i + 1)[0]));
            mean += y[i] / 89;
        }
        double ssRes = 0;
        double ssTot = 0;
        double sumP = 0;
        for (int i = 0; i < 89; i++) {
            ssRes += (y[i] - p[i]) * (y[i] - p[i]);
            ssTot += (y[i] - mean) * (y[i] - mean);
            sumP += p[i];
        }
        // trained and validated on standardised targets; R² is the same in the original units
        assertEquals((Double) loggedVal.get("diabetes").get("r2"), 1 - ssRes / ssTot, 1e-4);
        assertTrue(Math.abs(sumP / 89 - mean) < 30, "values in the target's units (mean " + mean + "), not standardised: " + sumP / 89);

        // the same rows without the target column, to standard output; the log line goes to standard error
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line, 0, line.lastIndexOf(',')).append('\n');
        }
        Path features = Configs.write(tmp, "diabetes_features.csv", sb.toString());
        StrideCli.Result r = predict(ck.get("diabetes").toString(), "--input", features.toString(), "--out", "-");
        assertEquals(0, r.exit(), r.all());
        List<String[]> stdout = rows(r.out());
        assertEquals(90, stdout.size(), "standard output holds the CSV alone:\n" + r.out());
        for (int i = 0; i < 90; i++) {
            assertArrayEquals(rows.get(i), stdout.get(i));
        }
        assertTrue(r.err().contains("Predicted 89 samples of " + features), r.err());
    }

    // ---- 6. mistakes

    @Test
    void mistakesEndWithStatus2AndAMessageAndChangeNothingOnDisk() throws Exception {
        String iris = ck.get("iris").toString();
        Path out = tmp.resolve("never.csv");
        assertUserError(predict(iris, "--input", tmp.resolve("nowhere.csv").toString(), "--out", out.toString()),
                "--input " + tmp.resolve("nowhere.csv") + ": no such file or folder");
        assertFalse(Files.exists(out));

        Path existing = Configs.write(tmp, "existing.csv", "keep me\n");
        assertUserError(predict(iris, "--input", "data.val", "--out", existing.toString()),
                "--out " + existing + ": exists; give another file, or remove it first");
        assertEquals("keep me\n", Files.readString(existing));

        assertUserError(predict(iris, "--input", "data.test", "--out", out.toString()),
                "--input data.test: the config has no data.test section (it has data.train, data.val)");
        assertFalse(Files.exists(out));

        // images for a model of 4 measurements
        assertUserError(predict(iris, "--input", Configs.mnistPng() + "/test/3", "--out", out.toString()),
                "The model of " + iris + " does not fit the data: --input " + Configs.mnistPng() + "/test/3: its samples have shape"
                        + " [3, 28, 28], the model takes [4]");
        assertFalse(Files.exists(out));

        // data without targets is for predict only: train and test refuse it before doing anything
        Path features = Configs.write(tmp, "iris_no_label.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n"
                + "5.1,3.5,1.4,0.2\n");
        String noLabel = "data.val={type = csv, file = \"" + features + "\", label = \"\"}";
        assertUserError(StrideCli.run(tmp, "test", iris, "--set", noLabel, "--out", tmp.resolve("no-test").toString()),
                "data.val has no targets (labels or values) to test against; for predictions on data without them use stride"
                        + " predict " + iris + " --input data.val");
        assertFalse(Files.exists(tmp.resolve("no-test")));
        assertUserError(StrideCli.run(tmp, "train", tmp.resolve("iris.conf").toString(), "--set", noLabel, "--work-dir",
                tmp.resolve("no-train").toString()), "data.val: it has no targets (labels or values), which validation needs");
        assertFalse(Files.exists(tmp.resolve("no-train")));

        // the weights alone: the config must be given
        Checkpoint ours = CheckpointFiles.read(ck.get("iris"));
        Checkpoint bare = new Checkpoint();
        ours.tensors().forEach(bare::putTensor);
        ours.metadata().forEach((k, v) -> {
            if (!k.equals("config")) {
                bare.putMetadata(k, v);
            }
        });
        Path weights = tmp.resolve("bare.safetensors");
        CheckpointFiles.write(weights, bare);
        assertUserError(predict(weights.toString(), "--input", "data.val", "--out", out.toString()),
                weights + " does not record the config it was trained with; give it: stride predict " + weights
                        + " --config CONFIG --input data.val");
        assertFalse(Files.exists(out));
        List<String[]> given = predictRows("bare", weights.toString(), "--config", tmp.resolve("iris.conf").toString(),
                "--input", "data.val");
        assertEquals(31, given.size());
    }
}
