package dev.stride.engine.djl.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.Settings;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code image-folder}: PNG and JPEG files in one sub-folder per class (the sorted folder names
 * are the class names), grey or RGB, resized, cropped, flipped and normalised; decoded on
 * background threads. Images without labels, data to predict on, are a folder holding images but
 * no sub-folders, or with {@code labels = false} every image below the folder.
 */
public final class ImageFolderProvider implements DatasetProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderProvider.class);
    /** Bad files named in a message. */
    private static final int NAMED = 10;
    private static final int MAX_SIDE = 8192;

    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public String description() {
        return "PNG and JPEG images in one sub-folder per class, resized, cropped, flipped, normalised";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public DataLoader create(Config options, Mode mode, long seed) {
        if (options.getIsNull("root")) {
            throw new BadInputException(Settings.where(options.origin()) + "root: not set; set it to the folder holding one"
                    + " sub-folder of images per class, e.g. root = \"data/mnist-png/train\"");
        }
        Path root = Path.of(options.getString("root"));
        Path dir = options.getIsNull("split") ? root : root.resolve(options.getString("split"));
        int channels = Settings.intIn(options, "channels", 1, 3);
        if (channels == 2) {
            throw new BadInputException(Settings.where(options, "channels") + "channels: 2; use 1 (grey) or 3 (RGB)");
        }
        int[] size = hw(options, "size");
        String crop = options.getString("crop").toLowerCase(Locale.ROOT);
        if (!List.of("none", "center", "random").contains(crop)) {
            throw new BadInputException(Settings.where(options, "crop") + "crop: '" + crop + "' is not none, center or random"
                    + Settings.didYouMean(crop, List.of("none", "center", "random")));
        }
        int[] cropSize = hw(options, "crop-size");
        if (!crop.equals("none") && cropSize == null) {
            throw new BadInputException(Settings.where(options, "crop") + "crop = " + crop + " needs crop-size = [height, width]");
        }
        if (size != null && cropSize != null && !crop.equals("none") && (cropSize[0] > size[0] || cropSize[1] > size[1])) {
            throw new BadInputException(Settings.where(options, "crop-size") + "crop-size: " + cropSize[0] + "x" + cropSize[1]
                    + " is larger than size " + size[0] + "x" + size[1]);
        }
        double flip = Settings.doubleIn(options, "flip", 0, 1);
        float[] mean = perChannel(options, "mean", channels, false);
        float[] std = perChannel(options, "std", channels, true);
        boolean labels = options.getBoolean("labels");
        if (!labels && mode == Mode.TRAIN) {
            throw new BadInputException(Settings.where(options, "labels") + "labels = false reads images without labels, but"
                    + " data.train needs them: put each class's images into a sub-folder named after the class");
        }
        boolean skipBad = options.getBoolean("skip-bad");
        boolean verify = options.getBoolean("verify");
        int limit = Settings.intIn(options, "limit", 0, Integer.MAX_VALUE);
        long cacheMb = Settings.longIn(options, "cache-mb", 0, 1L << 30);
        LoaderOptions loader = LoaderOptions.of(options);
        ImageFolder.Transform t = new ImageFolder.Transform(channels, size, crop, cropSize, flip, mean, std);

        Listing listing = labels ? list(options, dir, mode) : unlabelled(options, dir);
        Path[] files = listing.files.toArray(Path[]::new);
        int[] classOf = listing.classOf.stream().mapToInt(Integer::intValue).toArray();
        if (limit > 0 && limit < files.length) {
            // evenly spread over the sorted files, so every class keeps its share
            Path[] f = new Path[limit];
            int[] c = new int[limit];
            for (int i = 0; i < limit; i++) {
                int k = (int) ((long) i * files.length / limit);
                f[i] = files[k];
                c[i] = classOf[k];
            }
            files = f;
            classOf = c;
        }
        int height;
        int width;
        if (verify) {
            Scan scan = headers(files, loader.workers());
            ImageCodec.Header[] headers = scan.headers();
            List<String> bad = new ArrayList<>();
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < files.length; i++) {
                if (headers[i] == null) {
                    bad.add(files[i].toString());
                } else {
                    keep.add(i);
                }
            }
            if (!bad.isEmpty()) {
                String problems = String.join("; ", scan.problems(files));
                if (!skipBad) {
                    throw new BadInputException("data folder " + dir + ": " + bad.size() + " of its " + files.length + " image files "
                            + (bad.size() == 1 ? "is" : "are") + " unreadable: " + problems
                            + ". Replace or remove them, or set skip-bad = true to skip unreadable images");
                }
                LOG.warn("{}: skipped {} unreadable image file{} of {} (skip-bad = true): {}", "image-folder " + dir, bad.size(),
                        bad.size() == 1 ? "" : "s", files.length, problems);
                Path[] f = new Path[keep.size()];
                int[] c = new int[keep.size()];
                ImageCodec.Header[] h = new ImageCodec.Header[keep.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = files[keep.get(i)];
                    c[i] = classOf[keep.get(i)];
                    h[i] = headers[keep.get(i)];
                }
                files = f;
                classOf = c;
                headers = h;
                if (files.length == 0) {
                    throw new BadInputException("data folder " + dir + " has no readable image");
                }
            }
            int[] hwFirst = {headers[0].height(), headers[0].width()};
            if (size == null) {
                for (int i = 0; i < files.length; i++) {
                    ImageCodec.Header h = headers[i];
                    if (crop.equals("none") && (h.height() != hwFirst[0] || h.width() != hwFirst[1])) {
                        throw new BadInputException(Settings.where(options.origin()) + "the images differ in size: " + files[0] + " is "
                                + hwFirst[1] + "x" + hwFirst[0] + ", " + files[i] + " is " + h.width() + "x" + h.height()
                                + " (width x height): set size = [height, width] to resize every image");
                    }
                    if (!crop.equals("none") && (h.height() < cropSize[0] || h.width() < cropSize[1])) {
                        throw new BadInputException(Settings.where(options, "crop-size") + "image " + files[i] + " is "
                                + h.width() + "x" + h.height() + " (width x height), smaller than crop-size " + cropSize[1] + "x"
                                + cropSize[0] + ": set size = [height, width] to resize every image first");
                    }
                }
            }
            height = size != null ? size[0] : hwFirst[0];
            width = size != null ? size[1] : hwFirst[1];
        } else if (size != null) {
            height = size[0];
            width = size[1];
        } else {
            try {
                ImageCodec.Header h = ImageCodec.header(files[0]);
                height = h.height();
                width = h.width();
            } catch (IOException | ImageCodec.BadImage e) {
                throw new BadInputException("image " + files[0] + " is unreadable: " + e.getMessage()
                        + "; set size = [height, width], or fix the file");
            }
        }
        if (crop.equals("none") && cropSize != null) {
            LOG.debug("image-folder {}: crop-size is set but crop = none; it is not used", dir);
        }
        long budget = Math.min(cacheMb << 20, Runtime.getRuntime().maxMemory() / 4);
        ImageFolder data = new ImageFolder("image-folder " + dir, dir, files, classOf, listing.classes, t, height, width, seed, skipBad,
                budget);
        return loader.loader(data, seed);
    }

    /** The files (sorted by class, then by path) and their classes. */
    private record Listing(List<String> classes, List<Path> files, List<Integer> classOf) {}

    private static Listing list(Config options, Path dir, Mode mode) {
        exists(options, dir);
        List<Path> folders;
        List<Path> loose;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            folders = all.stream().filter(Files::isDirectory)
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            loose = all.stream().filter(ImageFolderProvider::isImageFile).toList();
        } catch (IOException e) {
            throw new BadInputException("data folder " + dir + " cannot be read: " + e.getMessage());
        }
        if (folders.isEmpty() && !loose.isEmpty() && mode != Mode.TRAIN) {
            // images without class folders: data to predict on
            return new Listing(List.of(), loose, java.util.Collections.nCopies(loose.size(), -1));
        }
        if (folders.isEmpty()) {
            throw new BadInputException(Settings.where(options, "root") + "data folder " + dir + " has no class folders"
                    + (loose.isEmpty() ? "" : " (it holds " + loose.size() + " images directly, which is data to predict on,"
                            + " not for data.train)")
                    + ": put each class's images into a sub-folder named after the class, e.g. " + dir.resolve("cat") + "/1.png");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> classOf = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (Path folder : folders) {
            int c = classes.size();
            classes.add(folder.getFileName().toString());
            List<Path> images;
            try {
                images = imagesIn(folder);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new BadInputException("class folder " + folder + " cannot be read: " + e.getMessage());
            }
            if (images.isEmpty()) {
                empty.add(folder.toString());
            }
            for (Path p : images) {
                files.add(p);
                classOf.add(c);
            }
        }
        if (!empty.isEmpty()) {
            throw new BadInputException("data folder " + dir + ": the class folder" + (empty.size() == 1 ? " " : "s ")
                    + String.join(", ", empty) + (empty.size() == 1 ? " holds" : " hold")
                    + " no images (.png, .jpg, .jpeg): add its images or remove the folder");
        }
        return new Listing(classes, files, classOf);
    }

    private static void exists(Config options, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(Settings.where(options, "root") + "data folder " + dir + " does not exist (looked for it at "
                    + dir.toAbsolutePath() + "); root (and split) name a folder with one sub-folder of images per class");
        }
    }

    /** {@code labels = false}: every image below {@code dir}, sorted by path, without labels. */
    private static Listing unlabelled(Config options, Path dir) {
        exists(options, dir);
        List<Path> images;
        try {
            images = imagesIn(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException("data folder " + dir + " cannot be read: " + e.getMessage());
        }
        if (images.isEmpty()) {
            throw new BadInputException(Settings.where(options, "root") + "data folder " + dir + " holds no images (.png, .jpg,"
                    + " .jpeg), at any depth");
        }
        return new Listing(List.of(), images, java.util.Collections.nCopies(images.size(), -1));
    }

    /** The image files below {@code folder}, sorted by their path relative to it. */
    private static List<Path> imagesIn(Path folder) throws IOException {
        List<String> relative = new ArrayList<>();
        Files.walkFileTree(folder, java.util.EnumSet.of(FileVisitOption.FOLLOW_LINKS), 16, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
                return !dir.equals(folder) && dir.getFileName().toString().startsWith(".")
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isImageFile(file)) {
                    relative.add(folder.relativize(file).toString().replace('\\', '/'));
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        relative.sort(null);
        List<Path> out = new ArrayList<>(relative.size());
        for (String r : relative) {
            out.add(folder.resolve(r));
        }
        return out;
    }

    private static boolean isImageFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    /** Each file's header, {@code null} for a file that is not a readable PNG or JPEG, and why not. */
    private record Scan(ImageCodec.Header[] headers, String[] why) {
        /** The first few unreadable files and their problems. */
        List<String> problems(Path[] files) {
            List<String> out = new ArrayList<>();
            int n = 0;
            for (int i = 0; i < files.length; i++) {
                if (headers[i] == null && n++ < NAMED) {
                    out.add(files[i] + ": " + why[i]);
                }
            }
            if (n > NAMED) {
                out.add("and " + (n - NAMED) + " more");
            }
            return out;
        }
    }

    /** Every file's header, read on a few threads. */
    private static Scan headers(Path[] files, int workers) {
        ImageCodec.Header[] out = new ImageCodec.Header[files.length];
        String[] why = new String[files.length];
        int threads = Math.max(2, workers);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "stride-image-scan");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            int chunk = Math.max(64, files.length / (threads * 4) + 1);
            for (int from = 0; from < files.length; from += chunk) {
                int a = from;
                int b = Math.min(files.length, from + chunk);
                parts.add(pool.submit(() -> {
                    for (int i = a; i < b; i++) {
                        try {
                            out[i] = ImageCodec.header(files[i]);
                        } catch (ImageCodec.BadImage e) {
                            why[i] = e.getMessage();
                        } catch (IOException e) {
                            why[i] = "it cannot be read (" + e.getMessage() + ")";
                        }
                    }
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the image headers", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < files.length; i++) {
            if (out[i] != null && (out[i].width() > MAX_SIDE * 4 || out[i].height() > MAX_SIDE * 4)) {
                why[i] = "it is " + out[i].width() + "x" + out[i].height() + ", larger than Stride decodes";
                out[i] = null;
            }
        }
        return new Scan(out, why);
    }

    /** A [height, width] option: a list of two sizes or one size for both; {@code null} when not set. */
    static int[] hw(Config options, String key) {
        if (options.getIsNull(key)) {
            return null;
        }
        List<Integer> v;
        if (options.getValue(key).valueType() == ConfigValueType.LIST) {
            v = options.getIntList(key);
        } else {
            int n = options.getInt(key);
            v = List.of(n, n);
        }
        if (v.size() != 2 || v.get(0) < 1 || v.get(1) < 1 || v.get(0) > MAX_SIDE || v.get(1) > MAX_SIDE) {
            throw new BadInputException(Settings.where(options, key) + key + ": " + options.getValue(key).unwrapped()
                    + " must be [height, width] (or one size for both) in 1.." + MAX_SIDE);
        }
        return new int[] {v.get(0), v.get(1)};
    }

    /** A per-channel list: one value for every channel, or one per channel. */
    private static float[] perChannel(Config options, String key, int channels, boolean positive) {
        List<Double> v = options.getDoubleList(key);
        if (v.size() != 1 && v.size() != channels) {
            throw new BadInputException(Settings.where(options, key) + key + ": " + v + " must hold 1 value or one per channel ("
                    + channels + ")");
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            double d = v.get(i);
            if (!Double.isFinite(d) || (positive && !(d > 0))) {
                throw new BadInputException(Settings.where(options, key) + key + ": " + v + " must hold finite"
                        + (positive ? " positive" : "") + " numbers");
            }
            out[i] = (float) d;
        }
        return out;
    }
}
