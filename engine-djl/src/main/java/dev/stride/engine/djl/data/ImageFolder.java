package dev.stride.engine.djl.data;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Image files as samples: decoded when a batch needs them (on the loader's worker threads),
 * converted to the channels asked for, resized, then cropped, flipped and normalised. Random
 * crops and flips are drawn from (seed, epoch, sample index) alone, so a sample's augmentation is
 * the same whichever thread prepares it and wherever a run resumed. Decoded images (after the
 * resize, before the random part) may be kept in memory up to a budget; what a batch holds does
 * not depend on whether an image came from the cache.
 */
final class ImageFolder implements Samples {
    /** How images are turned into samples. */
    record Transform(int channels, int[] size, String crop, int[] cropSize, double flip, float[] mean, float[] std) {
        /** Output height and width for images of {@code h x w} (after the resize). */
        int outHeight(int h) {
            return crop.equals("none") ? h : cropSize[0];
        }

        int outWidth(int w) {
            return crop.equals("none") ? w : cropSize[1];
        }
    }

    private final String name;
    private final Path dir;
    private final Path[] files;
    private final int[] classOf;
    private final List<String> classes;
    private final Transform t;
    private final int height;
    private final int width;
    private final long seed;
    private final boolean skipBad;
    private final float[][] lut;
    private final AtomicReferenceArray<Pixels> cache;
    private final AtomicLong cacheLeft;
    private volatile DataSpec spec;
    private volatile int[] labelOf;

    /**
     * @param dir the folder the files are in (below), which names them relative to it
     * @param classOf each file's class, an index into {@code classes}
     * @param classes the class names; empty for images without labels (data to predict on), whose
     *     classes are then the train data's ({@link #loadState})
     * @param height the height of the images after the resize (all equal unless cropped)
     * @param width their width
     */
    ImageFolder(String name, Path dir, Path[] files, int[] classOf, List<String> classes, Transform t, int height, int width,
            long seed, boolean skipBad, long cacheBytes) {
        this.name = name;
        this.dir = dir;
        this.files = files;
        this.classOf = classOf;
        this.classes = List.copyOf(classes);
        this.t = t;
        this.height = height;
        this.width = width;
        this.seed = seed;
        this.skipBad = skipBad;
        this.lut = new float[t.channels()][256];
        for (int c = 0; c < t.channels(); c++) {
            float m = t.mean()[t.mean().length == 1 ? 0 : c];
            float s = t.std()[t.std().length == 1 ? 0 : c];
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v / 255f - m) / s; // as mnist-idx computes it
            }
        }
        this.cache = new AtomicReferenceArray<>(files.length);
        this.cacheLeft = new AtomicLong(cacheBytes);
        long[] shape = {t.channels(), t.outHeight(height), t.outWidth(width)};
        this.spec = this.classes.isEmpty() ? new DataSpec(shape, 1) : DataSpec.classes(shape, this.classes);
        this.labelOf = identity(classes.size());
    }

    private static int[] identity(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = i;
        }
        return m;
    }

    @Override
    public int count() {
        return files.length;
    }

    @Override
    public DataSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe(int index) {
        return files[index].toString();
    }

    /** The file's path relative to the data folder, with {@code /} between folders. */
    @Override
    public String sampleName(int index) {
        return dir.relativize(files[index]).toString().replace('\\', '/');
    }

    @Override
    public boolean hasTargets() {
        return !classes.isEmpty();
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        if (classes.isEmpty()) {
            return; // nothing was learned from images without labels
        }
        state.put(DataState.NUM_CLASSES, spec.numClasses());
        DataState.putStrings(state, DataState.CLASS_NAMES, spec.classNames());
    }

    /** Takes the train data's class order: a folder here is the class of that name there. */
    @Override
    public void loadState(Checkpoint.Section state) {
        List<String> names = DataState.strings(state, DataState.CLASS_NAMES);
        if (names == null && classes.isEmpty() && state.getLong(DataState.NUM_CLASSES, -1) > 0) {
            spec = new DataSpec(spec.sampleShape(), (int) state.getLong(DataState.NUM_CLASSES, -1));
            return;
        }
        if (names == null || names.equals(spec.classNames()) || names.isEmpty()) {
            return;
        }
        int[] map = new int[classes.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            map[c] = names.indexOf(classes.get(c));
            if (map[c] < 0) {
                missing.add(classes.get(c));
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException(name + ": its class folder" + (missing.size() == 1 ? " " : "s ") + missing
                    + (missing.size() == 1 ? " is" : " are") + " not a class of the train data, whose classes are " + names);
        }
        labelOf = map;
        spec = DataSpec.classes(spec.sampleShape(), names);
    }

    @Override
    public boolean read(int index, long epoch, BatchBuffers batch) {
        Pixels px = cache.get(index);
        if (px == null) {
            px = load(index);
            if (px == null) {
                return false;
            }
            long bytes = px.data().length + 64L;
            if (cacheLeft.get() >= bytes && cacheLeft.addAndGet(-bytes) >= 0) {
                cache.set(index, px);
            }
        }
        int c = t.channels();
        int oh = t.outHeight(px.height());
        int ow = t.outWidth(px.width());
        int top = 0;
        int left = 0;
        boolean flip = false;
        if (!t.crop().equals("none") || t.flip() > 0) {
            SplittableRandom rnd = EpochOrder.sampleRandom(seed, epoch, index);
            if (t.crop().equals("random")) {
                top = rnd.nextInt(px.height() - oh + 1);
                left = rnd.nextInt(px.width() - ow + 1);
            } else if (t.crop().equals("center")) {
                top = (px.height() - oh) / 2;
                left = (px.width() - ow) / 2;
            }
            flip = t.flip() > 0 && rnd.nextDouble() < t.flip();
        }
        float[] out = new float[c * oh * ow];
        byte[] d = px.data();
        int w = px.width();
        for (int y = 0; y < oh; y++) {
            int row = (top + y) * w + left;
            for (int x = 0; x < ow; x++) {
                int src = (row + (flip ? ow - 1 - x : x)) * c;
                for (int ch = 0; ch < c; ch++) {
                    out[(ch * oh + y) * ow + x] = lut[ch][d[src + ch] & 0xff];
                }
            }
        }
        batch.input(out, 0);
        if (!classes.isEmpty()) {
            batch.label(labelOf[classOf[index]]);
        }
        return true;
    }

    /** Reads, decodes, converts and resizes image {@code index}; {@code null} when it is unreadable and skipped. */
    private Pixels load(int index) {
        Path file = files[index];
        String problem;
        try {
            Pixels px = ImageCodec.decode(Files.readAllBytes(file)).toChannels(t.channels());
            if (t.size() != null) {
                return px.resize(t.size()[0], t.size()[1]);
            }
            if (t.crop().equals("none") ? px.height() == height && px.width() == width
                    : px.height() >= t.cropSize()[0] && px.width() >= t.cropSize()[1]) {
                return px;
            }
            throw new BadInputException("image " + file + " is " + px.width() + "x" + px.height() + " (width x height), "
                    + (t.crop().equals("none") ? "unlike the " + width + "x" + height + " of the others"
                            : "smaller than crop-size " + t.cropSize()[1] + "x" + t.cropSize()[0])
                    + ": set size = [height, width] to resize every image");
        } catch (NoSuchFileException e) {
            problem = "it no longer exists";
        } catch (IOException e) {
            problem = "it cannot be read (" + e.getMessage() + ")";
        } catch (ImageCodec.BadImage e) {
            problem = e.getMessage();
        }
        if (skipBad) {
            return null;
        }
        throw new BadInputException("image " + file + " is unreadable: " + problem
                + ". Replace or remove the file, or set skip-bad = true in its data section to skip unreadable images");
    }
}
