package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data sets of issue 12 through the real command line: image-folder, csv and npy train; their
 * bad input ends with exit 2 and a message naming the file (and line and column), with nothing
 * written when it is found before training, and checkpoints intact when it is found later.
 */
class DataSetsIT {
    @TempDir
    Path tmp;

    private StrideCli.Result train(String name, String conf, String... extra) throws Exception {
        Path cfg = Configs.write(tmp, name + ".conf", conf);
        String[] args = new String[extra.length + 2];
        args[0] = "train";
        args[1] = cfg.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return StrideCli.run(tmp, args);
    }

    private static void assertUserError(StrideCli.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat "), "no stack trace for a user mistake:\n" + r.all());
        assertFalse(r.all().contains("internal error"), r.all());
    }

    /** LeNet on image folders: {@code train} and {@code val} data sections in HOCON. */
    private static String lenet(Path work, String train, String val, String runner) {
        return """
                runner { %s }
                workflow = [[train, 1], [val, 1]]
                seed = 5
                work-dir = "%s"
                model { type = lenet }
                data {
                  train { %s }
                  val { %s }
                }
                optimizer { type = sgd, lr = 0.05, momentum = 0.9 }
                hooks = [
                  { type = checkpoint, interval = 1 }
                  { type = json-logger, interval = 5 }
                ]
                """.formatted(runner, work, train, val);
    }

    /** {@code per} PNGs of each digit copied from data/mnist-png/train into {@code dir}. */
    private static Path pngSubset(Path dir, int per) throws Exception {
        Path src = Path.of(Configs.mnistPng(), "train");
        for (int d = 0; d < 10; d++) {
            Path to = Files.createDirectories(dir.resolve(Integer.toString(d)));
            try (Stream<Path> s = Files.list(src.resolve(Integer.toString(d)))) {
                for (Path f : s.sorted().limit(per).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return dir;
    }

    @Test
    void leNetTrainsFromPngClassFoldersWithRandomAugmentation() throws Exception {
        Path work = tmp.resolve("work");
        String png = Configs.mnistPng();
        StrideCli.Result r = train("png", lenet(work,
                "type = image-folder, root = \"" + png + "\", split = train, channels = 1, size = 32, crop = random, crop-size = 28,"
                        + " batch-size = 32, shuffle = true, limit = 960, workers = 2",
                "type = image-folder, root = \"" + png + "/test\", channels = 1, size = 32, crop = center, crop-size = 28,"
                        + " batch-size = 100, limit = 300",
                "type = epoch, max-epochs = 1"));
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> val = Configs.jsonLog(work).stream().filter(l -> "val".equals(l.get("mode"))).toList();
        assertTrue((Double) val.get(0).get("accuracy") > 0.3, "LeNet learns from 960 PNGs in one epoch (chance is 0.1): " + val);
        Checkpoint ck = Tensors.read(work.resolve("epoch_1.safetensors"));
        assertEquals("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", ck.metadata().get("data.class-names"),
                "the class names (the folders) are in the checkpoint");
    }

    @Test
    void theIrisCsvTrainsAndItsStatisticsGoIntoTheCheckpoint() throws Exception {
        Path work = tmp.resolve("work");
        String t = Configs.tabular();
        String conf = """
                runner { type = epoch, max-epochs = 20 }
                workflow = [[train, 20], [val, 1]]
                seed = 1
                work-dir = "%s"
                model { type = mlp, hidden = [32] }
                data {
                  train { type = csv, file = "%s/iris_train.csv", batch-size = 16, shuffle = true }
                  val { type = csv, file = "%s/iris_test.csv", batch-size = 30 }
                }
                optimizer { type = adam, lr = 0.01 }
                hooks = [ { type = checkpoint, interval = 20 }, { type = json-logger, interval = 8 } ]
                """.formatted(work, t, t);
        StrideCli.Result r = train("iris", conf);
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> val = Configs.jsonLog(work).stream().filter(l -> "val".equals(l.get("mode"))).toList();
        assertTrue((Double) val.get(0).get("accuracy") >= 0.9, val.toString());
        Checkpoint ck = Tensors.read(work.resolve("epoch_20.safetensors"));
        assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", ck.metadata().get("data.class-names"));
        assertTrue(ck.metadata().get("data.feature-mean").startsWith("[5.8"), ck.metadata().toString());
        assertEquals("[\"sepal_length_cm\",\"sepal_width_cm\",\"petal_length_cm\",\"petal_width_cm\"]",
                ck.metadata().get("data.feature-names"));
    }

    @Test
    void npyArraysTrain() throws Exception {
        Path work = tmp.resolve("work");
        Path npz = StrideCli.repo().resolve("engine-djl/src/test/resources/npy/data.npz");
        String conf = Configs.mlp(work, 100).replaceAll("train \\{ type = mnist-idx[^}]*}", "train { type = npy, file = \"" + npz
                + "\", batch-size = 2, shuffle = true }").replaceAll("val \\{ type = mnist-idx[^}]*}", "val { type = npy, file = \""
                + npz + "\" }");
        StrideCli.Result r = train("npy", conf);
        assertEquals(0, r.exit(), r.all());
        assertTrue(Files.exists(work.resolve("epoch_1.safetensors")));
    }

    // ---- bad input

    @Test
    void aFileThatIsNoImageIsNamedBeforeAnythingIsWritten() throws Exception {
        Path root = pngSubset(tmp.resolve("png"), 4);
        Path bad = root.resolve("7/bad.png");
        Files.writeString(bad, "GIF89a not really");
        Path work = tmp.resolve("work");
        String data = "type = image-folder, root = \"" + root + "\", channels = 1, batch-size = 8";
        StrideCli.Result r = train("job", lenet(work, data, data, "type = epoch, max-epochs = 1"));
        assertUserError(r, "job.conf:", "data.train", bad.toString(), "neither a PNG nor a JPEG file", "skip-bad = true");
        assertFalse(Files.exists(work), "nothing is written");
        assertUserError(train("job", lenet(work, data, data, "type = epoch, max-epochs = 1"), "--dry-run"), bad.toString());
    }

    @Test
    void anImageCorruptInsideStopsTheRunNamingItWithCheckpointsIntactOrIsSkippedWithSkipBad() throws Exception {
        Path root = pngSubset(tmp.resolve("png"), 6);
        Path bad;
        try (Stream<Path> s = Files.list(root.resolve("3"))) {
            bad = s.sorted().toList().get(2);
        }
        byte[] good = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(good, good.length - 40)); // the header is intact: found when decoded
        Path work = tmp.resolve("work");
        String data = "type = image-folder, root = \"" + root + "\", channels = 1, batch-size = 10, cache-mb = 0";
        StrideCli.Result r = train("job", lenet(work, data + ", shuffle = true", data, "type = epoch, max-epochs = 2"));
        assertUserError(r, bad.toString(), "truncated", "skip-bad = true");

        Path work2 = tmp.resolve("work2");
        String skipping = data + ", skip-bad = true";
        StrideCli.Result s = train("skip", lenet(work2, skipping + ", shuffle = true", skipping, "type = epoch, max-epochs = 2"));
        assertEquals(0, s.exit(), s.all());
        assertTrue(s.all().contains("skipped 1 unreadable sample in epoch 1 (skip-bad = true): " + bad), s.all());
        assertTrue(s.all().contains("skipped 1 unreadable sample in epoch 2"), s.all());
        assertTrue(Files.exists(work2.resolve("epoch_2.safetensors")));
    }

    @Test
    void anEmptyClassFolderIsNamed() throws Exception {
        Path root = pngSubset(tmp.resolve("png"), 2);
        Files.createDirectories(root.resolve("x"));
        Path work = tmp.resolve("work");
        String data = "type = image-folder, root = \"" + root + "\", channels = 1";
        assertUserError(train("job", lenet(work, data, data, "type = epoch, max-epochs = 1")), root.resolve("x") + " holds no images");
        assertFalse(Files.exists(work));
    }

    private String irisJob(Path work, String trainData) {
        return """
                runner { type = epoch, max-epochs = 1 }
                workflow = [[train, 1]]
                seed = 1
                work-dir = "%s"
                model { type = mlp, hidden = [8] }
                data {
                  train { %s }
                }
                optimizer { type = adam, lr = 0.01 }
                """.formatted(work, trainData);
    }

    @Test
    void csvMistakesAreNamedByFileLineAndColumn() throws Exception {
        Path work = tmp.resolve("work");
        Path csv = tmp.resolve("flowers.csv");
        Files.writeString(csv, "width,height,kind\n1.5,2,rose\n1.5,2\n2.5,tall,tulip\n");
        StrideCli.Result r = train("job", irisJob(work, "type = csv, file = \"" + csv + "\""));
        assertUserError(r, csv + ":3: 2 fields but the header has 3 columns [width, height, kind]");
        assertFalse(Files.exists(work));

        Files.writeString(csv, "width,height,kind\n1.5,2,rose\n2.5,tall,tulip\n");
        assertUserError(train("job", irisJob(work, "type = csv, file = \"" + csv + "\"")),
                csv + ":3:5: the feature 'height' is 'tall', not a number");
        assertUserError(train("job", irisJob(work, "type = csv, file = \"" + csv + "\", label = knd")),
                "job.conf:7: data.train.label: the file has no column 'knd' (did you mean 'kind'?); its columns are [width, height,"
                        + " kind]");
        assertFalse(Files.exists(work));
    }

    @Test
    void aTruncatedNpyFileIsNamed() throws Exception {
        Path src = StrideCli.repo().resolve("engine-djl/src/test/resources/npy");
        Path work = tmp.resolve("work");
        StrideCli.Result r = train("job", irisJob(work, "type = npy, x = \"" + src.resolve("truncated.npy") + "\", y = \""
                + src.resolve("y_i8.npy") + "\""));
        assertUserError(r, src.resolve("truncated.npy") + " is truncated: its header promises float32 [6, 2, 3] = 144 bytes");
        assertFalse(Files.exists(work));
    }
}
