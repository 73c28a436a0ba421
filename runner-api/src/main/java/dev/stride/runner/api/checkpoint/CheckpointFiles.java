package dev.stride.runner.api.checkpoint;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Checkpoint files in a work dir: atomic writes, the {@code last_checkpoint} pointer, and the
 * search for the newest checkpoint that verifies.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CheckpointFiles {
    /** The file naming the newest complete checkpoint. */
    public static final String LATEST = "last_checkpoint";
    /** The extension of checkpoint files. */
    public static final String EXTENSION = ".safetensors";
    /**
     * Environment variable for tests: milliseconds to pause inside every checkpoint write, after
     * the header, to widen the window in which a kill lands mid-write.
     */
    public static final String TEST_DELAY_ENV = "STRIDE_TEST_CHECKPOINT_DELAY_MS";

    private static final long TEST_DELAY = parseDelay(System.getenv(TEST_DELAY_ENV));

    private CheckpointFiles() {}

    /** Writes {@code ck} to {@code file} atomically (temp file, fsync, rename, fsync of the folder). */
    public static void write(Path file, Checkpoint ck) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the folder of " + file + ": " + e.getMessage(), e);
        }
        Safetensors.Encoded encoded = Safetensors.encode(ck);
        // the checksum is computed on another thread while the bytes are written, then filled in
        java.util.concurrent.CompletableFuture<byte[]> crc =
                java.util.concurrent.CompletableFuture.supplyAsync(encoded::crc, CHECKSUMS);
        AtomicFiles.write(file, TEST_DELAY, ch -> {
            try {
                ByteBuffer digits = ByteBuffer.wrap(crc.get());
                while (digits.hasRemaining()) {
                    ch.write(digits, encoded.checksumOffset() + digits.position());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while computing the checksum", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("the checksum could not be computed: " + e.getCause(), e.getCause());
            }
        }, encoded.buffers());
    }

    private static final java.util.concurrent.Executor CHECKSUMS = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stride-checksum");
        t.setDaemon(true);
        return t;
    });

    /** Reads and verifies a checkpoint; {@link CorruptCheckpointException} says what is wrong. */
    public static Checkpoint read(Path file) {
        return Safetensors.read(file);
    }

    /**
     * Reads a checkpoint's metadata from its header alone, without reading or verifying the tensors
     * (a damaged header is refused with {@link CorruptCheckpointException}; damaged tensors are found
     * only by {@link #read}).
     */
    public static Map<String, String> readMetadata(Path file) {
        return Safetensors.readSummary(file).metadata();
    }

    /**
     * Points {@code workDir/last_checkpoint} at {@code file}, atomically. The pointer is relative to
     * the work dir (absolute only for a file outside it), so a work dir that is moved or copied
     * points at its own files.
     */
    public static void markLatest(Path workDir, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path dir = workDir.toAbsolutePath().normalize();
        String name = abs.startsWith(dir) && !abs.equals(dir) ? dir.relativize(abs).toString() : abs.toString();
        AtomicFiles.write(dir.resolve(LATEST), ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** The checkpoint {@code last_checkpoint} names (a relative name against {@code workDir}), if the pointer exists. */
    public static Optional<Path> latest(Path workDir) {
        Path pointer = workDir.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
            return name.isEmpty() ? Optional.empty() : Optional.of(workDir.resolve(name));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@link #findResumable(Path, List, Consumer)} of the work dir alone. */
    public static Optional<Path> findResumable(Path workDir, Consumer<String> skipped) {
        return findResumable(workDir, List.of(), skipped);
    }

    /**
     * The checkpoint to resume from: of the checkpoints in {@code workDir}, in each of
     * {@code checkpointDirs} (the folders the checkpoint hooks write to; relative ones against the
     * work dir) and the one {@code last_checkpoint} names, the one furthest into training
     * ({@code runner.iter} of its header, read without the tensors) that verifies; at equal
     * positions one with optimizer state, then the one {@code last_checkpoint} names, then the
     * newest. A pointer to a file outside these folders (an old absolute pointer copied along with a
     * work dir) is taken only when none of them verifies. Every skipped file is reported to
     * {@code skipped} with the reason.
     */
    public static Optional<Path> findResumable(Path workDir, List<Path> checkpointDirs, Consumer<String> skipped) {
        Set<Path> files = new LinkedHashSet<>();
        Optional<Path> named = latest(workDir);
        if (named.isEmpty() && Files.exists(workDir.resolve(LATEST))) {
            skipped.accept(LATEST + " in " + workDir + " is unreadable or empty");
        }
        Path pointed = named.map(p -> p.toAbsolutePath().normalize()).orElse(null);
        if (pointed != null) {
            files.add(pointed);
        }
        List<Path> dirs = new ArrayList<>();
        dirs.add(workDir.toAbsolutePath().normalize());
        for (Path d : checkpointDirs) {
            dirs.add(workDir.resolve(d).toAbsolutePath().normalize());
        }
        // an absolute pointer into a folder not searched (an old pointer into the original of a copied work dir) is
        // taken only when none of the work dir's own checkpoints verifies
        Path foreign = pointed != null && !dirs.contains(pointed.getParent()) ? pointed : null;
        for (Path d : dirs) {
            for (Path p : checkpointsNewestFirst(d)) {
                files.add(p.toAbsolutePath().normalize());
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Path p : files) {
            try {
                Safetensors.Summary h = Safetensors.readSummary(p);
                candidates.add(new Candidate(p, !p.equals(foreign), position(h.metadata()),
                        h.tensorNames().stream().anyMatch(n -> n.startsWith("optimizer.")), p.equals(pointed), modified(p)));
            } catch (CorruptCheckpointException e) {
                skipped.accept(e.getMessage());
            }
        }
        candidates.sort(Comparator.comparing(Candidate::own)
                .thenComparingLong(Candidate::iter)
                .thenComparing(Candidate::optimizer)
                .thenComparing(Candidate::pointed)
                .thenComparingLong(Candidate::modified)
                .thenComparing(c -> c.file().toString())
                .reversed());
        for (Candidate c : candidates) {
            try {
                read(c.file());
                return Optional.of(c.file());
            } catch (CorruptCheckpointException e) {
                skipped.accept(e.getMessage());
            }
        }
        return Optional.empty();
    }

    private record Candidate(Path file, boolean own, long iter, boolean optimizer, boolean pointed, long modified) {}

    /** The train iterations done when the checkpoint was taken; -1 when the header does not say. */
    private static long position(Map<String, String> metadata) {
        try {
            return Long.parseLong(metadata.getOrDefault("runner.iter", "-1").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The {@code *.safetensors} files of a folder, newest first (by modification time, then name). */
    public static List<Path> checkpointsNewestFirst(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(EXTENSION))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(CheckpointFiles::modified).thenComparing(Path::toString).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long parseDelay(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
