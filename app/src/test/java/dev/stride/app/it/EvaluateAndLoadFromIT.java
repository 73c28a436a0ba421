package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.internal.Json;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code stride test} reproduces the training log's val figures; {@code load-from} starts fine-tuning from them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluateAndLoadFromIT {
    @TempDir
    static Path tmp;
    Path cfg;
    Path work;
    Map<String, Object> loggedVal;

    private static String lenet(Path work, String extra) {
        String root = Configs.mnistRoot();
        return """
                runner { type = epoch, max-epochs = 1 }
                workflow = [[train, 1], [val, 1]]
                seed = 5
                work-dir = "%s"
                model { type = lenet }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 32, shuffle = true, limit = 1600 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 250 }
                }
                optimizer { type = sgd, lr = 0.05, momentum = 0.9 }
                hooks = [
                  { type = checkpoint, interval = 1 }
                  { type = json-logger, interval = 10 }
                ]
                %s
                """.formatted(work, root, root, extra);
    }

    @BeforeAll
    void trainOneEpochOfLeNet() throws Exception {
        work = tmp.resolve("lenet");
        cfg = Configs.write(tmp, "lenet.conf", lenet(work, ""));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> log = Configs.jsonLog(work);
        loggedVal = log.get(log.size() - 1);
        assertEquals("val", loggedVal.get("mode"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void strideTestReproducesTheLoggedValFiguresExactly() throws Exception {
        Path out = tmp.resolve("test-out");
        StrideCli.Result r = StrideCli.run(tmp, "test", cfg.toString(), "--checkpoint", work.resolve("epoch_1.safetensors").toString(),
                "--out", out.toString());
        assertEquals(0, r.exit(), r.all());
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        Map<String, Object> metrics = (Map<String, Object>) json.get("metrics");
        assertEquals(loggedVal.get("accuracy"), metrics.get("accuracy"), "same data, same batches: the same double");
        assertEquals(loggedVal.get("loss"), metrics.get("loss"));
        assertTrue((Double) metrics.get("accuracy_top5") >= (Double) metrics.get("accuracy"));
        assertEquals(10, ((List<?>) json.get("per_class_accuracy")).size());
        List<String> confusion = Files.readAllLines(out.resolve("confusion_matrix.csv"));
        assertEquals(11, confusion.size());
        long total = 0;
        long diagonal = 0;
        for (int row = 1; row <= 10; row++) {
            String[] cells = confusion.get(row).split(",");
            for (int c = 1; c <= 10; c++) {
                total += Long.parseLong(cells[c]);
                diagonal += c == row ? Long.parseLong(cells[c]) : 0;
            }
        }
        assertEquals(2000, total);
        assertEquals((Double) metrics.get("accuracy"), diagonal / 2000.0, 1e-12);
        assertEquals(11, Files.readAllLines(out.resolve("per_class.csv")).size());
        BufferedImage png = ImageIO.read(out.resolve("confusion_matrix.png").toFile());
        assertTrue(png.getWidth() > 400 && png.getHeight() > 400, png.getWidth() + "x" + png.getHeight());
        // the heat map's darkest blue (ConfusionMatrixImage.SCALE) fills the cell of the largest count, on the diagonal
        long darkest = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                darkest += png.getRGB(x, y) == new Color(66, 146, 198).getRGB() ? 1 : 0;
            }
        }
        assertTrue(darkest > 30 * 30, "pixels of the largest count's colour: " + darkest);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCheckpointAloneIsEnoughAndSetStillOverrides() throws Exception {
        Path ck = work.resolve("epoch_1.safetensors");
        Path out = tmp.resolve("test-alone");
        // from another folder: nothing but the checkpoint tells what to build and where the data is
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        StrideCli.Result r = StrideCli.run(elsewhere, "test", ck.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.all());
        Map<String, Object> metrics = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                Files.readString(out.resolve("metrics.json")))).get("metrics");
        assertEquals(loggedVal.get("accuracy"), metrics.get("accuracy"), "the recorded config: the same val data");
        assertEquals(loggedVal.get("loss"), metrics.get("loss"));

        Path other = tmp.resolve("test-other");
        String testData = "data.test={type = mnist-idx, root = \"" + Configs.mnistRoot() + "\", split = t10k, batch-size = 100, limit = 300}";
        StrideCli.Result o = StrideCli.run(elsewhere, "test", ck.toString(), "--set", testData, "--out", other.toString());
        assertEquals(0, o.exit(), o.all());
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(other.resolve("metrics.json")));
        assertEquals("data.test", json.get("data"));
        assertTrue(o.out().contains("on data.test (300 samples)"), o.out());
    }

    @Test
    void testWithoutACheckpointOrWithoutARecordedConfigSaysWhatToGive() throws Exception {
        StrideCli.Result none = StrideCli.run(tmp, "test");
        assertEquals(2, none.exit(), none.all());
        assertTrue(none.err().contains("say which checkpoint to test: stride test CHECKPOINT"), none.err());

        Checkpoint ours = CheckpointFiles.read(work.resolve("epoch_1.safetensors"));
        Checkpoint bare = new Checkpoint();
        ours.tensors().forEach(bare::putTensor);
        Path file = tmp.resolve("bare.safetensors");
        CheckpointFiles.write(file, bare);
        StrideCli.Result r = StrideCli.run(tmp, "test", file.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains(file + " does not record the config it was trained with; give it: stride test CONFIG"
                + " --checkpoint " + file), r.err());
        StrideCli.Result given = StrideCli.run(tmp, "test", cfg.toString(), "--checkpoint", file.toString(), "--out",
                tmp.resolve("test-bare").toString());
        assertEquals(0, given.exit(), "with the config given, the bare weights are enough: " + given.all());
    }

    @Test
    void loadFromStartsAFreshRunAtTheLoadedWeights() throws Exception {
        Path fine = tmp.resolve("fine");
        String conf = lenet(fine, "load-from = \"" + work.resolve("epoch_1.safetensors") + "\"")
                .replace("[[train, 1], [val, 1]]", "[[val, 1], [train, 1]]")
                .replace("lr = 0.05", "lr = 0.01");
        Path c = Configs.write(tmp, "fine.conf", conf);
        StrideCli.Result r = StrideCli.run(tmp, "train", c.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Loaded 10 tensors from"), r.out());
        List<Map<String, Object>> log = Configs.jsonLog(fine);
        Map<String, Object> firstVal = log.get(0);
        assertEquals("val", firstVal.get("mode"));
        assertEquals(0L, firstVal.get("epoch"));
        assertEquals(loggedVal.get("accuracy"), firstVal.get("accuracy"), "validation before training sees the loaded model");
        Map<String, Object> firstTrain = log.get(1);
        assertEquals(1L, firstTrain.get("epoch"));
        assertEquals(10L, firstTrain.get("global_iter"), "a fresh run counts from 0");
        assertEquals(0.01, firstTrain.get("lr"), "the config's fresh learning rate");
        Checkpoint ck = CheckpointFiles.read(fine.resolve("epoch_1.safetensors"));
        assertEquals("50", ck.metadata().get("runner.iter"));
        assertEquals("50", ck.metadata().get("optimizer.steps"), "a fresh optimizer");
    }

    @Test
    void resumeWinsOverLoadFrom() throws Exception {
        Path dir = tmp.resolve("both");
        Files.createDirectories(dir);
        Files.copy(work.resolve("epoch_1.safetensors"), dir.resolve("epoch_1.safetensors"));
        Files.writeString(dir.resolve("last_checkpoint"), "epoch_1.safetensors\n");
        Path c = Configs.write(tmp, "both.conf", lenet(dir, "load-from = \"" + work.resolve("epoch_1.safetensors") + "\"")
                .replace("max-epochs = 1", "max-epochs = 2"));
        StrideCli.Result r = StrideCli.run(tmp, "train", c.toString(), "--resume", "auto");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Both resume and load-from are set: resuming"), r.out());
        assertTrue(r.out().contains("Resumed from"), r.out());
        assertFalse(r.out().contains("Loaded 10 tensors"), r.out());
    }

    @Test
    void strictReviseKeysAndShapeErrors() throws Exception {
        // a "foreign" file: the tensors of the checkpoint renamed as PyTorch's DataParallel would save them
        Checkpoint ours = CheckpointFiles.read(work.resolve("epoch_1.safetensors"));
        Checkpoint foreign = new Checkpoint();
        ours.tensors().forEach((name, t) -> {
            if (name.startsWith("model.") && !name.startsWith("model.fc3")) {
                foreign.putTensor("module." + name.substring("model.".length()), t);
            }
        });
        Path file = tmp.resolve("foreign.safetensors");
        CheckpointFiles.write(file, foreign);

        StrideCli.Result strict = StrideCli.run(tmp, "train", cfg.toString(), "--work-dir", tmp.resolve("s1").toString(),
                "--load-from", file.toString());
        assertEquals(2, strict.exit(), strict.all());
        assertTrue(strict.err().contains("the file lacks [conv1.bias, conv1.weight"), strict.err());
        assertTrue(strict.err().contains("the model has no [module.conv1.bias"), strict.err());
        assertTrue(strict.err().contains("revise-keys"), strict.err());

        String revised = "load-from { file = \"" + file + "\", strict = false, revise-keys = [[\"^module\\\\.\", \"\"]] }";
        Path c = Configs.write(tmp, "revised.conf", lenet(tmp.resolve("s2"), revised));
        StrideCli.Result lenient = StrideCli.run(tmp, "train", c.toString());
        assertEquals(0, lenient.exit(), lenient.all());
        assertTrue(lenient.out().contains("Loaded 8 tensors"), lenient.out());
        assertTrue(lenient.out().contains("not in the file, kept as initialised: [fc3.bias, fc3.weight]"), lenient.out());

        Path shapes = Configs.write(tmp, "shapes.conf", lenet(tmp.resolve("s3"), "load-from = \"" + work.resolve("epoch_1.safetensors") + "\"")
                .replace("model { type = lenet }", "model { type = lenet, hidden = [100, 84] }"));
        StrideCli.Result mismatch = StrideCli.run(tmp, "train", shapes.toString());
        assertEquals(2, mismatch.exit(), mismatch.all());
        assertTrue(mismatch.err().contains("fc1.weight: F32[120, 400] in epoch_1.safetensors but F32[100, 400] in the model"),
                mismatch.err());
    }
}
