package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image-folder: decoding, order, resume, augmentation, sharding, class order, bad files. */
class ImageFolderTest {
    static final String PNG_TRAIN = "../data/mnist-png/train";

    @TempDir
    Path tmp;

    static DataLoader imageFolder(String hocon, long seed) {
        return imageFolder(hocon, Mode.TRAIN, seed);
    }

    static DataLoader imageFolder(String hocon, Mode mode, long seed) {
        var p = new DataLoaderTest.DatasetProviderHolder(new ImageFolderProvider());
        return p.provider().create(DataLoaderTest.options(hocon, p), mode, seed);
    }

    /** Every batch of an epoch from batch {@code first}: inputs and labels. */
    static List<float[]> inputs(DataLoader loader, long epoch, int first, List<long[]> labels) {
        List<float[]> out = new ArrayList<>();
        try (BatchStream s = loader.open(epoch, first)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    DjlBatch d = (DjlBatch) b;
                    out.add(d.x().toFloatArray());
                    if (labels != null) {
                        labels.add(d.y().toLongArray());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void mnistPngSamplesEqualTheIdxSamplesTheyWereWrittenFrom() {
        // train/<digit>/<index>.png is sample <index> of the IDX file: same pixels, same normalisation
        DataLoader png = imageFolder("root = \"" + PNG_TRAIN + "\", channels = 1, batch-size = 8000, prefetch = 0", 1);
        var p = new DataLoaderTest.DatasetProviderHolder(new MnistIdxProvider());
        DataLoader idx = p.provider().create(DataLoaderTest.options("root = \"../data/mnist-10k\", batch-size = 8000", p), Mode.TRAIN, 1);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), png.spec().classNames());
        assertArrayEquals(new long[] {1, 28, 28}, png.spec().sampleShape());
        List<long[]> pngLabels = new ArrayList<>();
        float[] a = inputs(png, 0, 0, pngLabels).get(0);
        List<long[]> idxLabels = new ArrayList<>();
        float[] b = inputs(idx, 0, 0, idxLabels).get(0);
        List<Path> files = sortedFiles(Path.of(PNG_TRAIN));
        assertEquals(8000, files.size());
        for (int i = 0; i < files.size(); i++) {
            int k = Integer.parseInt(files.get(i).getFileName().toString().replace(".png", ""));
            assertEquals(idxLabels.get(0)[k], pngLabels.get(0)[i], "label of " + files.get(i));
            assertArrayEquals(Arrays.copyOfRange(b, k * 784, k * 784 + 784), Arrays.copyOfRange(a, i * 784, i * 784 + 784),
                    "pixels of " + files.get(i));
        }
    }

    static List<Path> sortedFiles(Path root) {
        List<Path> out = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            try (var s = Files.list(root.resolve(Integer.toString(d)))) {
                s.sorted().forEach(out::add);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static final String AUGMENTED = "root = \"" + PNG_TRAIN + "\", channels = 1, size = 32, crop = random, crop-size = 28, "
            + "flip = 0.5, mean = [0.13], std = [0.31], shuffle = true, limit = 600, batch-size = 50, ";

    @Test
    void augmentationIsAPureFunctionOfSeedEpochAndIndexWhateverTheThreadsOrCache() {
        List<float[]> base = inputs(imageFolder(AUGMENTED + "prefetch = 0, cache-mb = 0", 3), 2, 0, null);
        List<float[]> threads = inputs(imageFolder(AUGMENTED + "prefetch = 5, workers = 3, cache-mb = 0", 3), 2, 0, null);
        DataLoader cached = imageFolder(AUGMENTED + "prefetch = 2, workers = 2", 3);
        inputs(cached, 0, 0, null); // fills the cache
        List<float[]> warm = inputs(cached, 2, 0, null);
        assertEquals(12, base.size());
        for (int i = 0; i < base.size(); i++) {
            assertArrayEquals(base.get(i), threads.get(i), "batch " + i + " with 3 workers");
            assertArrayEquals(base.get(i), warm.get(i), "batch " + i + " from the cache");
        }
        List<float[]> other = inputs(imageFolder(AUGMENTED + "prefetch = 0, shuffle = false", 3), 2, 0, null);
        List<float[]> otherEpoch = inputs(imageFolder(AUGMENTED + "prefetch = 0, shuffle = false", 3), 3, 0, null);
        assertFalse(Arrays.equals(other.get(0), otherEpoch.get(0)), "another epoch draws other crops and flips");
    }

    @Test
    void startingAtBatchKGivesTheSameBatchesAsSkippingK() {
        DataLoader loader = imageFolder(AUGMENTED + "prefetch = 3, workers = 2", 9);
        List<long[]> allLabels = new ArrayList<>();
        List<float[]> all = inputs(loader, 4, 0, allLabels);
        List<long[]> tailLabels = new ArrayList<>();
        List<float[]> tail = inputs(loader, 4, 7, tailLabels);
        assertEquals(5, tail.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(all.get(7 + i), tail.get(i));
            assertArrayEquals(allLabels.get(7 + i), tailLabels.get(i));
        }
        List<float[]> again = inputs(imageFolder(AUGMENTED + "prefetch = 0", 9), 4, 0, null);
        assertArrayEquals(all.get(3), again.get(3), "a new loader (a resumed process) builds the same batch");
    }

    @Test
    void shardsTogetherSeeTheBatchesOfOneLoaderWithTheGlobalBatchSize() {
        String base = AUGMENTED.replace("batch-size = 50, ", "") + "limit = 103, prefetch = 0, ";
        List<float[]> whole = inputs(imageFolder(base + "batch-size = 12", 8), 1, 0, null);
        List<float[]> a = inputs(imageFolder(base + "batch-size = 6, shard = 0, shards = 2", 8), 1, 0, null);
        List<float[]> b = inputs(imageFolder(base + "batch-size = 6, shard = 1, shards = 2, workers = 2, prefetch = 2", 8), 1, 0,
                null);
        assertEquals(9, whole.size());
        for (int i = 0; i < whole.size(); i++) {
            float[] joined = new float[a.get(i).length + b.get(i).length];
            System.arraycopy(a.get(i), 0, joined, 0, a.get(i).length);
            System.arraycopy(b.get(i), 0, joined, a.get(i).length, b.get(i).length);
            assertArrayEquals(whole.get(i), joined, "batch " + i);
        }
    }

    @Test
    void limitSpreadsOverEveryClass() {
        DataLoader loader = imageFolder("root = \"" + PNG_TRAIN + "\", channels = 1, limit = 100, batch-size = 100", 1);
        List<long[]> labels = new ArrayList<>();
        inputs(loader, 0, 0, labels);
        assertEquals(10, Arrays.stream(labels.get(0)).distinct().count());
    }

    // ---- files of every kind

    private static BufferedImage image(int type, int w, int h, long seed) {
        BufferedImage im = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, 0xff000000 | r.nextInt(1 << 24));
            }
        }
        return im;
    }

    private static void write(BufferedImage im, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(im, format, file.toFile()), format);
    }

    @Test
    void pngKindsDecodeAsJavaxImageioDecodesThem() throws Exception {
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_BYTE_INDEXED};
        for (int type : types) {
            Path f = tmp.resolve("kind" + type + ".png");
            write(image(type, 37, 23, type), "png", f);
            byte[] bytes = Files.readAllBytes(f);
            Pixels mine = PngDecoder.decode(bytes);
            assertTrue(mine != null, "decoded by the fast path: type " + type);
            BufferedImage ref = ImageIO.read(f.toFile());
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    int rgb = ref.getRGB(x, y);
                    int p = (y * 37 + x) * mine.channels();
                    if (type == BufferedImage.TYPE_BYTE_GRAY) {
                        assertEquals(ref.getRaster().getSample(x, y, 0), mine.data()[p] & 0xff);
                    } else {
                        assertEquals((rgb >> 16) & 0xff, mine.data()[p] & 0xff, "type " + type + " red at " + x + "," + y);
                        assertEquals((rgb >> 8) & 0xff, mine.data()[p + 1] & 0xff);
                        assertEquals(rgb & 0xff, mine.data()[p + 2] & 0xff);
                    }
                }
            }
        }
    }

    @Test
    void jpegAndRgbAndGreyFilesMixInOneFolderConvertedToTheChannelsAskedFor() throws Exception {
        Path root = tmp.resolve("mixed");
        write(image(BufferedImage.TYPE_3BYTE_BGR, 40, 30, 1), "jpg", root.resolve("cat/a.jpg"));
        write(image(BufferedImage.TYPE_BYTE_GRAY, 20, 10, 2), "jpeg", root.resolve("cat/b.JPEG"));
        write(image(BufferedImage.TYPE_INT_ARGB, 16, 16, 3), "png", root.resolve("dog/x/c.png"));
        write(image(BufferedImage.TYPE_BYTE_GRAY, 64, 48, 4), "png", root.resolve("dog/d.png"));
        Files.writeString(root.resolve("dog/notes.txt"), "not an image, ignored");
        for (int channels : new int[] {1, 3}) {
            DataLoader loader = imageFolder("root = \"" + root + "\", channels = " + channels + ", size = [12, 14], batch-size = 4", 1);
            assertEquals(List.of("cat", "dog"), loader.spec().classNames());
            assertArrayEquals(new long[] {channels, 12, 14}, loader.spec().sampleShape());
            List<long[]> labels = new ArrayList<>();
            float[] x = inputs(loader, 0, 0, labels).get(0);
            assertArrayEquals(new long[] {0, 0, 1, 1}, labels.get(0), "sorted classes, files sorted by path in each");
            for (float v : x) {
                assertTrue(v >= 0 && v <= 1, "scaled to 0..1: " + v);
            }
        }
    }

    @Test
    void resizeKeepsAFlatImageFlatAndAveragesWhenShrinking() {
        byte[] flat = new byte[40 * 30];
        Arrays.fill(flat, (byte) 200);
        Pixels r = new Pixels(40, 30, 1, flat).resize(7, 9);
        for (byte b : r.data()) {
            assertEquals(200, b & 0xff);
        }
        byte[] stripes = new byte[4 * 2];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = (byte) (i % 2 == 0 ? 0 : 100);
        }
        Pixels half = new Pixels(4, 2, 1, stripes).resize(1, 2);
        // a 2x shrink weighs 4 source pixels per output pixel (the triangle widens with the scale), as PIL's BILINEAR
        assertEquals(43, half.data()[0] & 0xff);
        assertEquals(57, half.data()[1] & 0xff);
    }

    @Test
    void valDataTakesTheTrainDataClassOrderThroughTheState() throws Exception {
        Path train = tmp.resolve("train");
        Path val = tmp.resolve("val");
        for (String c : List.of("ant", "bee", "cow")) {
            write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, c.hashCode()), "png", train.resolve(c + "/1.png"));
        }
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 5), "png", val.resolve("cow/1.png"));
        DataLoader t = imageFolder("root = \"" + train + "\", channels = 1", 1);
        DataLoader v = imageFolder("root = \"" + val + "\", channels = 1", Mode.VAL, 1);
        assertEquals(List.of("cow"), v.spec().classNames());
        Checkpoint ck = new Checkpoint();
        t.saveState(ck.section("data.", "data."));
        v.loadState(ck.section("data.", "data."));
        assertEquals(List.of("ant", "bee", "cow"), v.spec().classNames());
        List<long[]> labels = new ArrayList<>();
        inputs(v, 0, 0, labels);
        assertArrayEquals(new long[] {2}, labels.get(0), "cow is class 2 of the train data");

        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 5), "png", val.resolve("dog/1.png"));
        DataLoader v2 = imageFolder("root = \"" + val + "\", channels = 1", Mode.VAL, 1);
        BadInputException e = assertThrows(BadInputException.class, () -> v2.loadState(ck.section("data.", "data.")));
        assertTrue(e.getMessage().contains("[dog] is not a class of the train data") && e.getMessage().contains("[ant, bee, cow]"),
                e.getMessage());
    }

    @Test
    void aFolderOfImagesWithoutClassFoldersIsDataToPredictOnNamedByItsFiles() throws Exception {
        Path train = tmp.resolve("train");
        for (String c : List.of("ant", "bee", "cow")) {
            write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, c.hashCode()), "png", train.resolve(c + "/1.png"));
        }
        DataLoader t = imageFolder("root = \"" + train + "\", channels = 1", 1);
        Checkpoint ck = new Checkpoint();
        t.saveState(ck.section("data.", "data."));

        Path flat = tmp.resolve("flat");
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 7), "png", flat.resolve("b.png"));
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 8), "png", flat.resolve("a.png"));
        DataLoader p = imageFolder("root = \"" + flat + "\", channels = 1, batch-size = 1", Mode.VAL, 1);
        assertFalse(p.hasTargets());
        assertEquals(2, p.samples());
        assertEquals(List.of("a.png", "b.png"), List.of(p.sampleName(0), p.sampleName(1)), "sorted, relative to the folder");
        p.loadState(ck.section("data.", "data."));
        assertEquals(List.of("ant", "bee", "cow"), p.spec().classNames(), "the classes are the train data's");
        assertArrayEquals(new long[] {1, 8, 8}, p.spec().sampleShape());
        try (BatchStream s = p.open(0, 0); Batch b = s.next()) {
            assertFalse(((DjlBatch) b).hasTargets());
            assertEquals(1, b.size());
        }
        // the same image gives the same sample, with or without labels
        DataLoader labelled = imageFolder("root = \"" + train + "\", channels = 1, batch-size = 3", Mode.VAL, 1);
        Files.copy(train.resolve("bee/1.png"), flat.resolve("c.png"));
        DataLoader p3 = imageFolder("root = \"" + flat + "\", channels = 1, batch-size = 3", Mode.VAL, 1);
        assertArrayEquals(Arrays.copyOfRange(inputs(labelled, 0, 0, null).get(0), 64, 128),
                Arrays.copyOfRange(inputs(p3, 0, 0, null).get(0), 128, 192));
        // not for training
        BadInputException e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + flat + "\"", 1));
        assertTrue(e.getMessage().contains("has no class folders (it holds 3 images directly, which is data to predict on"),
                e.getMessage());
    }

    @Test
    void labelsFalseReadsEveryImageBelowTheFolderWithoutLabels() throws Exception {
        Path root = tmp.resolve("tree");
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 1), "png", root.resolve("x/2024/1.png"));
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 2), "png", root.resolve("x/0.png"));
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 3), "png", root.resolve("top.png"));
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 4), "png", root.resolve(".hidden/no.png"));
        DataLoader p = imageFolder("root = \"" + root + "\", channels = 1, labels = false", Mode.VAL, 1);
        assertFalse(p.hasTargets());
        assertEquals(3, p.samples());
        assertEquals(List.of("top.png", "x/0.png", "x/2024/1.png"), List.of(p.sampleName(0), p.sampleName(1), p.sampleName(2)));
        BadInputException e = assertThrows(BadInputException.class,
                () -> imageFolder("root = \"" + root + "\", labels = false", Mode.TRAIN, 1));
        assertTrue(e.getMessage().contains("labels = false reads images without labels, but data.train needs them"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty/sub"));
        e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + empty.getParent() + "\", labels = false",
                Mode.VAL, 1));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
        // with labels, the files are named by their class folder too
        DataLoader l = imageFolder("root = \"" + twoClasses() + "\", channels = 1", Mode.VAL, 1);
        assertTrue(l.hasTargets());
        assertEquals("a/0.png", l.sampleName(0));
        assertEquals("b/2.png", l.sampleName(5));
    }

    // ---- bad input

    private Path twoClasses() throws IOException {
        Path root = tmp.resolve("bad");
        for (int i = 0; i < 3; i++) {
            write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, i), "png", root.resolve("a/" + i + ".png"));
            write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 10 + i), "png", root.resolve("b/" + i + ".png"));
        }
        return root;
    }

    @Test
    void aFileThatIsNoImageIsNamedBeforeTrainingOrSkippedWithSkipBad() throws Exception {
        Path root = twoClasses();
        Files.writeString(root.resolve("b/1.png"), "<html>not a png</html>");
        BadInputException e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + root + "\", channels = 1", 1));
        assertTrue(e.getMessage().contains(root.resolve("b/1.png").toString()) && e.getMessage().contains("neither a PNG nor a JPEG")
                && e.getMessage().contains("skip-bad = true"), e.getMessage());
        DataLoader skipping = imageFolder("root = \"" + root + "\", channels = 1, skip-bad = true", 1);
        assertEquals(5, skipping.samples());
    }

    @Test
    void anImageCorruptInsideIsNamedWhenDecodedOrSkippedAndCountedWithSkipBad() throws Exception {
        Path root = twoClasses();
        Path bad = root.resolve("a/2.png");
        byte[] good = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(good, good.length - 30)); // header intact, data cut
        DataLoader strict = imageFolder("root = \"" + root + "\", channels = 1, batch-size = 2", 1);
        assertEquals(6, strict.samples());
        BadInputException e = assertThrows(BadInputException.class, () -> inputs(strict, 0, 0, null));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        DataLoader skipping = imageFolder("root = \"" + root + "\", channels = 1, batch-size = 2, skip-bad = true, workers = 2", 1);
        List<long[]> labels = new ArrayList<>();
        List<float[]> x = inputs(skipping, 0, 0, labels);
        assertEquals(3, x.size());
        assertEquals(5, labels.stream().mapToInt(l -> l.length).sum(), "the bad image is left out of its batch");
    }

    @Test
    void emptyClassFoldersAndMissingClassFoldersAreNamed() throws Exception {
        Path root = twoClasses();
        Files.createDirectories(root.resolve("c"));
        BadInputException e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + root + "\"", 1));
        assertTrue(e.getMessage().contains(root.resolve("c") + " holds no images"), e.getMessage());

        Path flat = tmp.resolve("flat");
        write(image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, 1), "png", flat.resolve("1.png"));
        e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + flat + "\"", 1));
        assertTrue(e.getMessage().contains("has no class folders (it holds 1 images directly"), e.getMessage());

        e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + tmp.resolve("nowhere") + "\"", 1));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void imagesOfDifferentSizesNeedASize() throws Exception {
        Path root = twoClasses();
        write(image(BufferedImage.TYPE_BYTE_GRAY, 9, 8, 1), "png", root.resolve("b/9.png"));
        BadInputException e = assertThrows(BadInputException.class, () -> imageFolder("root = \"" + root + "\"", 1));
        assertTrue(e.getMessage().contains("the images differ in size") && e.getMessage().contains("9.png is 9x8")
                && e.getMessage().contains("set size"), e.getMessage());
        assertEquals(7, imageFolder("root = \"" + root + "\", size = 8", 1).samples());
        assertNotEquals(null, imageFolder("root = \"" + root + "\", crop = center, crop-size = 8", 1));
    }
}
