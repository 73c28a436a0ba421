package dev.stride.runner.api.checkpoint.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.checkpoint.CorruptCheckpointException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fuzzer found, as a disk would do it: a sector of 0xFF bytes inside the config string of
 * a real checkpoint. The JSON still parses (each byte decodes to U+FFFD), so only the checksum can
 * tell, and it must be refused as corrupt, and skipped by {@code --resume auto}.
 */
class DamagedSectorTest {
    @TempDir
    Path dir;

    private static Checkpoint withLongConfig() {
        Checkpoint ck = SeedCheckpoints.training();
        ck.putMetadata("config", "{\"vars\":{\"note\":\"" + "a long config ".repeat(120) + "\"}}");
        return ck;
    }

    /** Writes the checkpoint, then overwrites 600 bytes in the middle of its config with 0xFF. */
    private static Path damaged(Path file) throws IOException {
        CheckpointFiles.write(file, withLongConfig());
        byte[] b = Files.readAllBytes(file);
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("a long config ") + 100;
        for (int i = at; i < at + 600; i++) {
            b[i] = (byte) 0xFF;
        }
        Files.write(file, b);
        return file;
    }

    @Test
    void aSectorOfFFBytesInTheConfigIsRefusedAsCorruptNotAnIndexError() throws IOException {
        Path file = damaged(dir.resolve("epoch_2.safetensors"));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFiles.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void autoResumeSkipsTheDamagedCheckpointAndFallsBackToTheEarlierOne() throws IOException {
        Path good = dir.resolve("epoch_1.safetensors");
        CheckpointFiles.write(good, withLongConfig());
        Files.setLastModifiedTime(good, FileTime.fromMillis(1000));
        Path bad = damaged(dir.resolve("epoch_2.safetensors"));
        CheckpointFiles.markLatest(dir, bad);
        List<String> skipped = new ArrayList<>();
        Optional<Path> found = CheckpointFiles.findResumable(dir, skipped::add);
        assertEquals(Optional.of(good), found);
        assertTrue(skipped.stream().anyMatch(s -> s.contains("epoch_2.safetensors")), skipped.toString());
    }
}
