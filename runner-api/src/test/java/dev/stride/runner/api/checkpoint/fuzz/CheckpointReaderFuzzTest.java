package dev.stride.runner.api.checkpoint.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.checkpoint.CorruptCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint reader fuzzed: 10,000 files made from valid checkpoints (written by
 * {@link CheckpointFiles#write}) by one to three stacked mutations (bit flips, invalid UTF-8,
 * byte replacements, damaged sectors, truncations, insertions, deletions, header-length
 * rewrites, header text and JSON edits, edits with a recomputed checksum). Every read either
 * throws {@link CorruptCheckpointException} naming the file, or returns the original checkpoint,
 * or one whose checksum was legitimately recomputed, or a plain safetensors file without
 * Stride's metadata (which resume refuses as "not a Stride checkpoint"). No read allocates more
 * than 4 x the file size + 1 MB: nothing in the file (a lying length, a huge shape) makes the
 * reader allocate more than the file's own bytes warrant.
 *
 * <p>A seeded loop, not jqwik, so that every case runs and all failures are counted. A failure
 * names its case; {@code -Dfuzz.case=N} replays that case alone, {@code -Dfuzz.cases} and
 * {@code -Dfuzz.seed} change the run.
 */
class CheckpointReaderFuzzTest {
    static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
    static final long SEED = Long.getLong("fuzz.seed", 20_261_125L);
    private static final long SLACK = 1 << 20;

    @TempDir
    static Path dir;
    static byte[][] seeds;
    static Checkpoint[] originals;

    @BeforeAll
    static void writeValidCheckpoints() throws IOException {
        List<Checkpoint> cks = List.of(SeedCheckpoints.training(), SeedCheckpoints.metadataOnly(), SeedCheckpoints.mnistSized());
        seeds = new byte[cks.size()][];
        originals = new Checkpoint[cks.size()];
        for (int i = 0; i < cks.size(); i++) {
            Path p = dir.resolve("seed-" + i + ".safetensors");
            CheckpointFiles.write(p, cks.get(i));
            seeds[i] = Files.readAllBytes(p);
            originals[i] = CheckpointFiles.read(p); // also loads the reader's classes before allocations are measured
        }
    }

    @Test
    void everyMutatedCheckpointIsRefusedWithTheFormatErrorOrReadsLegitimately() throws IOException {
        Outcomes o = new Outcomes();
        Path scratch = scratchDir();
        Path file = scratch.resolve("mutated.safetensors");
        Integer only = Integer.getInteger("fuzz.case");
        try {
            for (int c = 0; c < CASES; c++) {
                if (only == null || only == c) {
                    fuzzOne(c, file, o);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            if (!scratch.equals(dir)) {
                Files.deleteIfExists(scratch);
            }
        }
        String summary = o.summary("CheckpointReaderFuzzTest");
        System.out.println(summary);
        assertTrue(o.failures.isEmpty(), summary + "\nfirst failures:\n" + String.join("\n",
                o.failures.subList(0, Math.min(10, o.failures.size()))));
    }

    /** A folder in memory when there is one: 10,000 small writes to a real disk take half a minute. */
    private static Path scratchDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "stride-fuzz");
        }
        return dir;
    }

    /** 70 % the training checkpoint, 25 % the one without tensors, 5 % the MNIST-sized one. */
    private static int seedFile(int c) {
        int k = c % 20;
        return k < 14 ? 0 : k < 19 ? 1 : 2;
    }

    private static void fuzzOne(int c, Path file, Outcomes o) throws IOException {
        Random rnd = new Random(SEED * 1_000_003L + c);
        int which = seedFile(c);
        byte[] bytes = seeds[which];
        Mutator mutator = new Mutator(rnd);
        int n = 1 + rnd.nextInt(3);
        StringBuilder how = new StringBuilder();
        byte[] forgedBytes = null;
        for (int i = 0; i < n; i++) {
            Mutation m = Mutation.values()[rnd.nextInt(Mutation.values().length)];
            bytes = mutator.apply(m, bytes);
            o.applied(m);
            how.append(i == 0 ? "" : " + ").append(m.words);
            if (m == Mutation.FORGED) {
                forgedBytes = bytes;
            }
        }
        boolean forged = Arrays.equals(bytes, forgedBytes); // and no later mutation changed what was forged
        Files.write(file, bytes);
        o.cases++;
        String where = "case " + c + " (seed file " + which + ", " + how + ", " + bytes.length + " bytes)";
        long before = ThreadAllocations.now();
        long t0 = System.nanoTime();
        Checkpoint read = null;
        Throwable thrown = null;
        try {
            read = CheckpointFiles.read(file);
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = ThreadAllocations.now() - before;
        o.maxNanos = Math.max(o.maxNanos, System.nanoTime() - t0);
        o.allocated(allocated, bytes.length);
        if (allocated > 4L * bytes.length + SLACK) {
            o.fail("allocation over 4 x the file + 1 MB", where + ": the read allocated " + allocated + " bytes");
        }
        if (thrown instanceof CorruptCheckpointException e) {
            o.refused++;
            if (!e.getMessage().contains(file.toString())) {
                o.fail("message without the file", where + ": the message does not name the file: " + e.getMessage());
            }
        } else if (thrown != null) {
            o.fail(thrown.getClass().getSimpleName(),
                    where + ": " + thrown + " at " + (thrown.getStackTrace().length > 0 ? thrown.getStackTrace()[0] : "?"));
        } else if (same(read, originals[which])) {
            o.unchanged++;
        } else if (forged) {
            o.forgedAccepted++;
        } else if (!read.metadata().containsKey("stride.checksum") && !read.metadata().containsKey("stride.format")) {
            o.plainAccepted++;
        } else {
            o.fail("damage accepted", where + ": damaged but accepted: " + read.metadata().keySet() + " " + read.tensors().keySet());
        }
    }

    static boolean same(Checkpoint a, Checkpoint b) {
        if (!a.metadata().equals(b.metadata()) || !a.tensors().keySet().equals(b.tensors().keySet())) {
            return false;
        }
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            if (!e.getValue().contentEquals(b.tensors().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
