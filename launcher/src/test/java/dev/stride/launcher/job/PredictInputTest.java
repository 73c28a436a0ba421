package dev.stride.launcher.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.internal.DataSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code stride predict --input X} puts at data.test: the data read as the model's train data was, without targets. */
class PredictInputTest {
    private static final Path CK = Path.of("work/epoch_1.safetensors");

    @TempDir
    Path tmp;

    private static Config job(String train) {
        return ConfigFactory.parseString("data { train { " + train + " }, val { type = csv, file = v.csv } }");
    }

    private static Map<String, String> spec(DataSpec spec, String... more) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put(DataSpecs.KEY, DataSpecs.toJson(spec));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private Path file(String name) throws Exception {
        Path f = tmp.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "1,2\n");
        return f;
    }

    @Test
    void aCsvIsReadWithTheModelsFeatureColumnsByNameAndWithoutItsLabel() throws Exception {
        Path f = file("new.csv");
        Config train = job("type = csv, file = train.csv, label = species, delimiter = \";\", standardize = false,"
                + " shuffle = true, limit = 10, classes = [a, b]");
        Map<String, String> meta = spec(DataSpec.classes(new long[] {2}, List.of("a", "b")),
                "data.feature-names", "[\"petal\",\"sepal\"]");
        Config c = PredictInput.parse(f.toString()).apply(train, null, CK, meta).getConfig("data.test");
        assertEquals("csv", c.getString("type"));
        assertEquals(f.toString(), c.getString("file"));
        assertEquals("", c.getString("label"), "predictions need no label: any label column is left out");
        assertEquals(List.of("petal", "sepal"), c.getStringList("features"));
        assertEquals(";", c.getString("delimiter"), "the train file's delimiter");
        assertFalse(c.getBoolean("standardize"), "standardised as the train data was");
        assertEquals(List.of("a", "b"), c.getStringList("classes"));
        assertEquals("classification", c.getString("task"));
        assertFalse(c.hasPath("shuffle") || c.hasPath("limit"), c.root().render());
        assertTrue(c.getValue("features").origin().description().startsWith("--input " + f), "messages name the input");

        Config tsv = PredictInput.parse(file("new.tsv").toString()).apply(train, 16, CK, meta);
        assertEquals("\t", tsv.getString("data.test.delimiter"));
        assertEquals(16, tsv.getInt("data.test.batch-size"), "--batch-size");
    }

    @Test
    void dataOfAnotherKindThanTheTrainDataTakesTheModelsTaskShapeAndStatistics() throws Exception {
        Config idx = job("type = mnist-idx, root = data, mean = 0.1307, std = 0.3081");
        Map<String, String> mnist = spec(new DataSpec(new long[] {1, 28, 28}, 10));
        Path folder = Files.createDirectories(tmp.resolve("pictures"));
        Config images = PredictInput.parse(folder.toString()).apply(idx, null, CK, mnist).getConfig("data.test");
        assertEquals("image-folder", images.getString("type"));
        assertEquals(folder.toString(), images.getString("root"));
        assertFalse(images.getBoolean("labels"), "every image below the folder, without labels");
        assertEquals(1, images.getInt("channels"));
        assertEquals(List.of(28, 28), images.getIntList("size"));
        assertEquals(List.of(0.1307), images.getDoubleList("mean"), "mnist-idx scales pixels as image-folder does");
        assertEquals(List.of(0.3081), images.getDoubleList("std"));

        Config npy = PredictInput.parse(file("x.npy").toString()).apply(idx, null, CK, mnist).getConfig("data.test");
        assertEquals(tmp.resolve("x.npy").toString(), npy.getString("x"));
        assertEquals(List.of(1L, 28L, 28L), npy.getLongList("shape"));
        assertFalse(npy.getBoolean("standardize"), "the train data had no standardisation statistics");

        Config csvTrain = job("type = csv, file = t.csv, label = y, task = regression, standardize-target = true");
        Map<String, String> regression = spec(DataSpec.regression(new long[] {3}, 1), "data.feature-mean", "[1.0,2.0,3.0]");
        Config npz = PredictInput.parse(file("a.npz").toString()).apply(csvTrain, null, CK, regression).getConfig("data.test");
        assertEquals(tmp.resolve("a.npz").toString(), npz.getString("file"));
        assertEquals("", npz.getString("y-key"), "an archive's targets are not read");
        assertEquals("regression", npz.getString("task"));
        assertTrue(npz.getBoolean("standardize"), "standardised with the train data's statistics");
    }

    @Test
    void aFolderIsReadWithTheTrainImagesOptionsButNotTheirFiles() throws Exception {
        Config train = job("type = image-folder, root = photos, split = train, channels = 3, size = [32, 32], crop = random,"
                + " crop-size = [28, 28], flip = 0.5, mean = [0.5, 0.4, 0.3], std = [0.2], limit = 100, shuffle = true");
        Path folder = Files.createDirectories(tmp.resolve("new"));
        Config c = PredictInput.parse(folder.toString()).apply(train, null, CK, Map.of()).getConfig("data.test");
        assertEquals(folder.toString(), c.getString("root"));
        assertFalse(c.hasPath("split") || c.hasPath("limit") || c.hasPath("shuffle"), c.root().render());
        assertFalse(c.getBoolean("labels"));
        assertEquals(List.of(32, 32), c.getIntList("size"));
        assertEquals(List.of(0.5, 0.4, 0.3), c.getDoubleList("mean"));
        // crop and flip stay: section() turns them into the center crop, without flips, for every kind of input
        assertEquals("random", c.getString("crop"));
    }

    @Test
    void aSectionOfTheConfigStaysWhereItIsAndAMissingOneIsNamed() {
        Config train = job("type = csv, file = t.csv");
        PredictInput val = PredictInput.parse("data.val");
        assertEquals("data.val", val.describe());
        assertEquals(train, val.apply(train, null, CK, Map.of()));
        assertEquals(64, val.apply(train, 64, CK, Map.of()).getInt("data.val.batch-size"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> PredictInput.parse("data.test").apply(train, null, CK, Map.of()));
        assertEquals("--input data.test: the config has no data.test section (it has data.train, data.val); give one of"
                + " those, or the data itself: a folder of images, a .csv or a .npy file", e.getMessage());
    }

    @Test
    void pathsThatNameNothingOrNothingKnownAreRefused() throws Exception {
        BadInputException e = assertThrows(BadInputException.class, () -> PredictInput.parse(tmp.resolve("gone.csv").toString()));
        assertTrue(e.getMessage().startsWith("--input " + tmp.resolve("gone.csv") + ": no such file or folder"), e.getMessage());
        Path odd = file("data.bin");
        e = assertThrows(BadInputException.class, () -> PredictInput.parse(odd.toString()));
        assertTrue(e.getMessage().contains("cannot tell what this file holds from its name"), e.getMessage());
        Path conf = tmp.resolve("test.conf");
        Files.writeString(conf, "file = x.csv");
        e = assertThrows(BadInputException.class, () -> PredictInput.parse(conf.toString()).apply(job("type = csv"), null, CK,
                Map.of()));
        assertTrue(e.getMessage().contains("needs a 'type'"), e.getMessage());
    }
}
