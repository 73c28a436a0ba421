package dev.stride.runner.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DType;
import dev.stride.runner.api.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every damaged or foreign file must be refused with a {@link CorruptCheckpointException} that
 * names the file, never accepted and never another exception.
 */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;

    private byte[] good;
    private int headerLen;

    /** {@code header} (padded with spaces to a multiple of 8) and {@code data} as a safetensors file. */
    static byte[] file(String header, byte[] data) {
        StringBuilder h = new StringBuilder(header);
        while (h.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            h.append(' ');
        }
        byte[] hb = h.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(hb.length).put(hb).put(data).array();
    }

    @BeforeEach
    void writeAGoodCheckpoint() throws IOException {
        Path file = dir.resolve("good.safetensors");
        CheckpointFiles.write(file, SafetensorsTest.sample());
        good = Files.readAllBytes(file);
        headerLen = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        CheckpointFiles.read(file); // the original verifies
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Reads {@code file}, expecting a refusal naming it; returns the message. */
    private static String assertCorrupt(Path file, String fragment) {
        try {
            Checkpoint ck = Safetensors.read(file);
            fail(file + " was accepted: " + ck.metadata().keySet() + " " + ck.tensors().keySet());
            return null;
        } catch (CorruptCheckpointException e) {
            assertEquals(file, e.file());
            assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
            if (fragment != null) {
                assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
            }
            assertTrue(e instanceof BadInputException, "a user's problem, exit status 2");
            return e.getMessage();
        }
    }

    @Test
    void truncatedAtEveryLength() throws IOException {
        Path p = write("cut.safetensors", good);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            for (int len = good.length - 1; len >= 0; len--) {
                ch.truncate(len);
                String m = assertCorrupt(p, null);
                if (len < 8) {
                    assertTrue(m.contains("fewer than the 8-byte header length"), len + ": " + m);
                } else {
                    assertTrue(m.contains("truncated"), len + ": " + m);
                }
            }
        }
    }

    @Test
    void anAppendedByteIsRefused() throws IOException {
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertCorrupt(write("longer.safetensors", longer), "trailing bytes");
    }

    /** Every bit of a small Stride checkpoint (to keep the test fast: one read per bit). */
    @Test
    void everySingleBitFlipIsDetected() throws IOException {
        Checkpoint small = new Checkpoint();
        small.putMetadata("stride.format", "stride-checkpoint/1");
        small.putMetadata("runner.iter", "12");
        small.putMetadata("note", "é");
        small.putTensor("model.w", Tensor.ofFloats(new long[] {3}, new float[] {1, 2, 3}));
        small.putTensor("optimizer.step", SafetensorsTest.tensor(DType.I64, new long[0], 3));
        Path p = dir.resolve("flipped.safetensors");
        CheckpointFiles.write(p, small);
        byte[] good = Files.readAllBytes(p);
        List<String> accepted = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            for (int i = 0; i < good.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) (good[i] ^ (1 << bit))}), i);
                    try {
                        Safetensors.read(p);
                        accepted.add("byte " + i + " bit " + bit);
                    } catch (CorruptCheckpointException e) {
                        if (!e.getMessage().contains(p.toString())) {
                            accepted.add("byte " + i + " bit " + bit + ": message without the file: " + e.getMessage());
                        }
                    }
                }
                ch.write(ByteBuffer.wrap(new byte[] {good[i]}), i);
            }
        }
        Safetensors.read(p); // restored
        assertTrue(accepted.isEmpty(), accepted.size() + " flips not detected, e.g. "
                + accepted.subList(0, Math.min(5, accepted.size())));
    }

    @Test
    void flippedBitsInHeaderAndDataAreChecksumMismatches() throws IOException {
        // a metadata value character: still valid JSON, only the checksum can tell
        String header = new String(good, 8, headerLen, StandardCharsets.UTF_8);
        int at = header.indexOf("stride-checkpoint/1") + "stride-checkpoint/".length();
        byte[] bad = good.clone();
        bad[8 + at] ^= 0x01; // '1' -> '0'
        assertCorrupt(write("meta.safetensors", bad), "checksum does not match");

        bad = good.clone();
        bad[good.length - 3] ^= 0x10;
        assertCorrupt(write("data.safetensors", bad), "checksum does not match");
    }

    @ParameterizedTest(name = "header length {0}")
    @CsvSource({"9223372036854775807", "1099511627776", "104857601", "-1", "0", "1"})
    void absurdHeaderLengthsAreRefused(long len) throws IOException {
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
        assertCorrupt(write("len.safetensors", bad), "is outside 2..");
    }

    @Test
    void headerLengthBeyondTheFileIsRefused() throws IOException {
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length - 8 + 1);
        assertCorrupt(write("beyond.safetensors", bad), "the file is truncated");
        byte[] tiny = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(2).array();
        assertCorrupt(write("tiny.safetensors", tiny), "truncated");
    }

    @Test
    void emptyFile() throws IOException {
        assertCorrupt(write("empty.safetensors", new byte[0]), "0 bytes");
    }

    @Test
    void missingFile() {
        assertCorrupt(dir.resolve("nope.safetensors"), "does not exist");
    }

    @Test
    void aFolderIsNotACheckpoint() throws IOException {
        assertCorrupt(Files.createDirectory(dir.resolve("folder.safetensors")), null);
    }

    @Test
    void filesOfOtherFormatsAreRefused() throws IOException {
        assertCorrupt(write("text.safetensors", "this is not a checkpoint, just some text\n".getBytes(StandardCharsets.UTF_8)),
                "not a safetensors file");
        byte[] zip = new byte[64];
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 3;
        zip[3] = 4;
        assertCorrupt(write("torch.pt", zip), null);
        byte[] random = new byte[4096];
        new java.util.Random(5).nextBytes(random);
        assertCorrupt(write("random.safetensors", random), null);
    }

    private void assertHeaderRefused(String header, int dataBytes, String fragment) throws IOException {
        assertCorrupt(write("crafted.safetensors", file(header, new byte[dataBytes])), fragment);
    }

    private static String t(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void overlappingOffsetsAreRefused() throws IOException {
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,8]") + "," + t("b", "F32", "[2]", "[4,12]") + "}", 12,
                "overlaps the one before");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,8]") + "," + t("b", "F32", "[2]", "[0,8]") + "}", 8,
                "overlaps");
    }

    @Test
    void gapsAreRefused() throws IOException {
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,8]") + "," + t("b", "F32", "[2]", "[12,20]") + "}", 20,
                "leaves a gap");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[4,12]") + "}", 12, "leaves a gap");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,8]") + "}", 9, "trailing bytes");
    }

    @Test
    void badTensorEntriesAreRefused() throws IOException {
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,16]") + "}", 8, "outside the 8 bytes of data");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[8,0]") + "}", 8, "outside");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[-8,0]") + "}", 8, "outside");
        assertHeaderRefused("{" + t("a", "F32", "[3]", "[0,8]") + "}", 8, "needs 12 bytes but its offsets span 8");
        assertHeaderRefused("{" + t("a", "F128", "[2]", "[0,8]") + "}", 8, "unknown dtype");
        assertHeaderRefused("{" + t("a", "F32", "[-2]", "[0,8]") + "}", 8, "bad dimension");
        assertHeaderRefused("{" + t("a", "F32", "[2.0]", "[0,8]") + "}", 8, "bad dimension");
        assertHeaderRefused("{" + t("a", "F32", "2", "[0,8]") + "}", 8, "no valid shape");
        assertHeaderRefused("{" + t("a", "F32", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,2]", "[0,8]") + "}", 8, "no valid shape");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0]") + "}", 8, "no valid data_offsets");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,8.0]") + "}", 8, "no valid data_offsets");
        assertHeaderRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "no valid data_offsets");
        assertHeaderRefused("{\"a\":[1,2]}", 0, "not described by an object");
        assertHeaderRefused("{" + t("a", "F32", "[4611686018427387904,4]", "[0,8]") + "}", 8, "has more than 2^63 bytes"); // an overflowing shape, never "-1 bytes"
    }

    /** A hostile name or dtype cannot recolour or rewrite the terminal: control characters are printed escaped. */
    @Test
    void controlCharactersInNamesAndDtypesArePrintedEscaped() throws IOException {
        List<String> messages = List.of(
                assertCorrupt(write("n.safetensors", file("{" + t("evil\\u001b[31m", "F32", "[2]", "[0,4]") + "}", new byte[8])),
                        "tensor \"evil\\u001b[31m\""),
                assertCorrupt(write("d.safetensors", file("{" + t("a", "F32\\u001b[2J\\u202e", "[2]", "[0,8]") + "}", new byte[8])),
                        "unknown dtype F32\\u001b[2J\\u202e"),
                assertCorrupt(write("m.safetensors", file("{\"__metadata__\":{\"k\\u009b\":1}}", new byte[0])),
                        "metadata \"k\\u009b\""));
        for (String m : messages) {
            assertTrue(m.chars().noneMatch(c -> c == 0x1b || c == 0x202e || c == 0x9b), m);
        }
    }

    @Test
    void badHeadersAreRefused() throws IOException {
        assertHeaderRefused("[1,2,3]", 0, "not a JSON object");
        assertHeaderRefused("{\"a\":1", 0, "not valid JSON");
        assertHeaderRefused("{\"__metadata__\":{\"k\":1}}", 0, "metadata \"k\" is not a string");
        assertHeaderRefused("{\"__metadata__\":[]}", 0, "__metadata__ is not an object");
        assertHeaderRefused("{\"__metadata__\":{},\"__metadata__\":{}}", 0, "duplicate key");
        assertHeaderRefused("{" + t("a", "F32", "[2]", "[0,8]") + "," + t("a", "F32", "[2]", "[0,8]") + "}", 8,
                "duplicate key");
        assertHeaderRefused("{} trailing", 0, "trailing content");
        assertHeaderRefused("[".repeat(60) + "]".repeat(60), 0, "nested deeper");
    }

    @Test
    void aStrideCheckpointWithoutChecksumIsRefused() throws IOException {
        assertHeaderRefused("{\"__metadata__\":{\"stride.format\":\"stride-checkpoint/1\",\"runner.epoch\":\"1\"},"
                + t("model.w", "F32", "[2]", "[0,8]") + "}", 8, "without its stride.checksum entry");
    }

    @Test
    void aMalformedChecksumIsRefused() throws IOException {
        assertHeaderRefused("{\"__metadata__\":{\"stride.format\":\"stride-checkpoint/1\",\"stride.checksum\":\"md5:00\"}}", 0,
                "checksum entry is malformed");
        assertHeaderRefused("{\"__metadata__\":{\"stride.checksum\":\"crc32c:0000\"}}", 0, "checksum entry is malformed");
        assertHeaderRefused("{\"__metadata__\":{\"stride.checksum\":\"crc32c:00000000\"}}", 0, "checksum does not match");
    }
}
