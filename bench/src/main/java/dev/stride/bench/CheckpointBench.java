package dev.stride.bench;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.launcher.Stride;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Checkpoint write and read of a ~100 MB model (an MLP of 25M float parameters) against a raw
 * FileChannel write (with fsync) and read of the same tensor bytes, in interleaved rounds.
 * Stride's write includes the safetensors header, the CRC32C, a temp file, fsync, rename and
 * fsync of the folder; its read includes parsing, bounds checks and checksum verification.
 *
 * <p>Usage: {@code CheckpointBench <dir> <rounds>}
 */
public final class CheckpointBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        Model model = Stride.load().model("mlp", Map.of("hidden", List.of(4096, 4096, 1024)),
                new DataSpec(new long[] {1024}, 1000), 1);
        long t = System.nanoTime();
        Checkpoint ck = new Checkpoint();
        model.saveState(ck.section("model.", "model."));
        double snapshot = (System.nanoTime() - t) / 1e9;
        long bytes = ck.tensors().values().stream().mapToLong(Tensor::byteSize).sum();
        Path strideFile = dir.resolve("bench.safetensors");
        Path rawFile = dir.resolve("bench.raw");
        double[] sw = new double[rounds];
        double[] rw = new double[rounds];
        double[] sr = new double[rounds];
        double[] rr = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            double a = time(() -> CheckpointFiles.write(strideFile, ck));
            double b = time(() -> rawWrite(rawFile, ck));
            double c = time(() -> CheckpointFiles.read(strideFile));
            double d = time(() -> rawRead(rawFile));
            if (r >= 0) {
                sw[r] = bytes / a / 1e6;
                rw[r] = bytes / b / 1e6;
                sr[r] = bytes / c / 1e6;
                rr[r] = bytes / d / 1e6;
            }
        }
        Figures.print("checkpoint.model_mb", bytes / 1e6, "MB");
        Figures.print("checkpoint.snapshot_model_to_tensors_s", snapshot, "s");
        Figures.print("checkpoint.stride_write_mb_per_s", Figures.median(sw), "");
        Figures.print("checkpoint.raw_write_mb_per_s", Figures.median(rw), "");
        Figures.print("checkpoint.stride_read_mb_per_s", Figures.median(sr), "");
        Figures.print("checkpoint.raw_read_mb_per_s", Figures.median(rr), "");
        Figures.print("checkpoint.ratio.write_vs_raw", Figures.median(sw) / Figures.median(rw), "");
        Figures.print("checkpoint.ratio.read_vs_raw", Figures.median(sr) / Figures.median(rr), "");
        Files.deleteIfExists(strideFile);
        Files.deleteIfExists(rawFile);
        model.close();
    }

    interface Action {
        void run() throws IOException;
    }

    static double time(Action a) throws IOException {
        long t0 = System.nanoTime();
        a.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The tensor bytes, back to back, one gathering write, fsync. */
    static void rawWrite(Path file, Checkpoint ck) throws IOException {
        ByteBuffer[] buffers = ck.tensors().values().stream().map(Tensor::data).toArray(ByteBuffer[]::new);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = 0;
            for (ByteBuffer b : buffers) {
                left += b.remaining();
            }
            while (left > 0) {
                left -= ch.write(buffers);
            }
            ch.force(true);
        }
    }

    /** The whole file into one heap buffer. */
    static void rawRead(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read all
            }
        }
    }

    private CheckpointBench() {}
}
