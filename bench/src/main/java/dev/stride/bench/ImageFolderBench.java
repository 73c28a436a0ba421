package dev.stride.bench;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stride.engine.djl.model.Djl;
import dev.stride.launcher.Stride;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The image-folder data set on MNIST-10k's PNG folders (8,000 train images, 28x28 grey):
 *
 * <ol>
 *   <li>decoding alone, one thread, files read each time: Stride's loader (read, decode, normalise,
 *       batch) against javax.imageio and DJL's ImageFactory doing the same work;</li>
 *   <li>the loader's decode + augment throughput, images/s, cache off: plain, and augmented
 *       (resize to 32x32, random 28x28 crop, flip), with 1 and 2 worker threads; and with the
 *       cache warm;</li>
 *   <li>LeNet trained one epoch from the PNG folders against the in-memory IDX loader (the same
 *       images and labels), Stride's epoch runner as in ThroughputBench, interleaved rounds,
 *       medians, ratios.</li>
 * </ol>
 *
 * <p>Usage: {@code ImageFolderBench <mnist-png root> <mnist-idx root> <rounds> [decode|loader|lenet]}
 */
public final class ImageFolderBench {
    private static final Stride STRIDE = Stride.load();

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path png = Path.of(args[0]).resolve("train");
        Path idx = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String part = args.length > 3 ? args[3] : "all";
        if (part.equals("all") || part.equals("decode")) {
            decoders(png, rounds);
        }
        if (part.equals("all") || part.equals("loader")) {
            loaders(png, rounds);
        }
        if (part.equals("all") || part.equals("lenet")) {
            training(png, idx, rounds);
        }
    }

    static DataLoader imageFolder(Path root, Map<String, Object> extra) {
        Map<String, Object> o = new LinkedHashMap<>(Map.of("root", root.toString(), "channels", 1, "batch-size", 64,
                "shuffle", true));
        o.putAll(extra);
        return STRIDE.dataset("image-folder", o, Mode.TRAIN, 1);
    }

    /** Images per second of one epoch of {@code loader}, batches opened and closed as training does. */
    static double epoch(DataLoader loader, long epoch) {
        long t0 = System.nanoTime();
        try (BatchStream s = loader.open(epoch, 0)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    b.size();
                }
            }
        }
        return loader.samples() / ((System.nanoTime() - t0) / 1e9);
    }

    static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    static void decoders(Path png, int rounds) throws Exception {
        List<Path> files = files(png);
        DataLoader stride = imageFolder(png, Map.of("cache-mb", 0, "prefetch", 0));
        String[] names = {"stride_loader", "imageio", "djl_imagefactory"};
        double[][] rates = new double[3][rounds];
        float[] out = new float[784];
        for (int r = -1; r < rounds; r++) {
            for (int v = 0; v < 3; v++) {
                double rate;
                if (v == 0) {
                    rate = epoch(stride, r + 1);
                } else {
                    long t0 = System.nanoTime();
                    try (NDManager m = Djl.manager().newSubManager()) {
                        for (Path f : files) {
                            byte[] bytes = Files.readAllBytes(f);
                            if (v == 1) {
                                BufferedImage im = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(
                                        new ByteArrayInputStream(bytes)));
                                byte[] px = ((DataBufferByte) im.getRaster().getDataBuffer()).getData();
                                for (int i = 0; i < 784; i++) {
                                    out[i] = (px[i] & 0xff) / 255f;
                                }
                            } else {
                                Image im = ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream(bytes));
                                try (NDManager each = m.newSubManager()) {
                                    NDArray a = im.toNDArray(each, Image.Flag.GRAYSCALE).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                            .div(255f);
                                    a.toFloatArray();
                                }
                            }
                        }
                    }
                    rate = files.size() / ((System.nanoTime() - t0) / 1e9);
                }
                if (r >= 0) {
                    rates[v][r] = rate;
                }
            }
        }
        for (int v = 0; v < 3; v++) {
            Figures.print("images.decode_1_thread." + names[v] + ".images_per_s", Figures.median(rates[v]), "");
            Figures.print("images.decode_1_thread." + names[v] + ".rounds", Figures.rounds(rates[v]));
        }
        Figures.print("images.decode_1_thread.ratio.stride_vs_imageio", Figures.median(rates[0]) / Figures.median(rates[1]), "");
    }

    static void loaders(Path png, int rounds) {
        Map<String, Object> aug = Map.of("size", 32, "crop", "random", "crop-size", 28, "flip", 0.5);
        Map<String, DataLoader> variants = new LinkedHashMap<>();
        for (int workers : new int[] {1, 2}) {
            variants.put("plain.workers_" + workers, imageFolder(png, Map.of("cache-mb", 0, "workers", workers, "prefetch", 4)));
            Map<String, Object> o = new LinkedHashMap<>(aug);
            o.putAll(Map.of("cache-mb", 0, "workers", workers, "prefetch", 4));
            variants.put("augmented.workers_" + workers, imageFolder(png, o));
        }
        Map<String, Object> cached = new LinkedHashMap<>(aug);
        cached.putAll(Map.of("workers", 2, "prefetch", 4));
        variants.put("augmented.workers_2.cache_warm", imageFolder(png, cached));
        Map<String, double[]> rates = new LinkedHashMap<>();
        variants.keySet().forEach(k -> rates.put(k, new double[rounds]));
        for (int r = -1; r < rounds; r++) {
            for (Map.Entry<String, DataLoader> e : variants.entrySet()) {
                double rate = epoch(e.getValue(), r + 1);
                if (r >= 0) {
                    rates.get(e.getKey())[r] = rate;
                }
            }
        }
        rates.forEach((k, v) -> {
            Figures.print("images.loader." + k + ".images_per_s", Figures.median(v), "");
            Figures.print("images.loader." + k + ".rounds", Figures.rounds(v));
        });
    }

    static void training(Path png, Path idx, int rounds) throws Exception {
        Path tmp = Files.createTempDirectory("stride-bench-images");
        Map<String, DataLoader> variants = new LinkedHashMap<>();
        variants.put("idx", STRIDE.dataset("mnist-idx", Map.of("root", idx.toString(), "split", "train", "batch-size", 64,
                "shuffle", true, "prefetch", 2), Mode.TRAIN, 1));
        variants.put("png_cache", imageFolder(png, Map.of()));
        variants.put("png_no_cache", imageFolder(png, Map.of("cache-mb", 0)));
        variants.put("png_augmented_no_cache", imageFolder(png, Map.of("cache-mb", 0, "size", 32, "crop", "random",
                "crop-size", 28, "flip", 0.5)));
        List<String> names = new ArrayList<>(variants.keySet());
        double[][] rates = new double[names.size()][rounds];
        double[][] cpu = new double[names.size()][rounds];
        for (int r = -1; r < rounds; r++) {
            for (int v = 0; v < names.size(); v++) {
                long cpu0 = ThroughputBench.processCpuNanos();
                double rate = ThroughputBench.stride("lenet", variants.get(names.get(v)), "epoch", tmp);
                double cpuSeconds = (ThroughputBench.processCpuNanos() - cpu0) / 1e9;
                if (r >= 0) {
                    rates[v][r] = rate;
                    cpu[v][r] = 8000 / cpuSeconds;
                }
            }
        }
        for (int v = 0; v < names.size(); v++) {
            Figures.print("images.lenet." + names.get(v) + ".samples_per_s", Figures.median(rates[v]), "");
            Figures.print("images.lenet." + names.get(v) + ".rounds", Figures.rounds(rates[v]));
            Figures.print("images.lenet." + names.get(v) + ".samples_per_cpu_s", Figures.median(cpu[v]), "");
        }
        for (int v = 1; v < names.size(); v++) {
            Figures.print("images.lenet.ratio." + names.get(v) + "_vs_idx", Figures.median(rates[v]) / Figures.median(rates[0]), "");
            Figures.print("images.lenet.cpu_ratio." + names.get(v) + "_vs_idx", Figures.median(cpu[v]) / Figures.median(cpu[0]), "");
        }
    }

    private ImageFolderBench() {}
}
