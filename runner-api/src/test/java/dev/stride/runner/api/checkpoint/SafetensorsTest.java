package dev.stride.runner.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DType;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    static Tensor tensor(DType dtype, long[] shape, int seed) {
        long n = Tensor.byteSize(dtype, shape);
        byte[] b = new byte[(int) n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        if (dtype == DType.BOOL) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (b[i] & 1);
            }
        }
        return new Tensor(dtype, shape, ByteBuffer.wrap(b));
    }

    /** A Stride-like checkpoint with tensors of many dtypes and shapes, and awkward metadata. */
    static Checkpoint sample() {
        Checkpoint ck = new Checkpoint();
        ck.putMetadata("stride.format", "stride-checkpoint/1");
        ck.putMetadata("runner.epoch", "3");
        ck.putMetadata("config", "{\"model\":{\"type\":\"mlp\"},\"note\":\"é 😀 \\\" \\n\"}");
        ck.putMetadata("weird key \"with\" quotes\n", "tab\tand\u0001control");
        ck.putMetadata("empty", "");
        ck.putTensor("model.fc1.weight", Tensor.ofFloats(new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.NaN, -0f, 1e-40f}));
        ck.putTensor("model.fc1.bias", tensor(DType.F64, new long[] {3}, 1));
        ck.putTensor("optimizer.step", tensor(DType.I64, new long[0], 2));
        ck.putTensor("empty", tensor(DType.U8, new long[] {0, 4}, 3));
        ck.putTensor("mask", tensor(DType.BOOL, new long[] {5}, 4));
        ck.putTensor("half", tensor(DType.BF16, new long[] {3}, 5));
        ck.putTensor("f16", tensor(DType.F16, new long[] {1, 1, 3}, 6));
        ck.putTensor("ünïcode.näme", tensor(DType.I8, new long[] {3}, 7));
        ck.putTensor("i16", tensor(DType.I16, new long[] {2}, 8));
        ck.putTensor("i32", tensor(DType.I32, new long[] {2, 2}, 9));
        return ck;
    }

    private static Map<String, String> withoutChecksum(Map<String, String> m) {
        Map<String, String> copy = new TreeMap<>(m);
        copy.remove(Safetensors.CHECKSUM_KEY);
        return copy;
    }

    @Test
    void roundTripKeepsTensorsAndMetadataExactly() {
        Checkpoint ck = sample();
        Path file = dir.resolve("epoch_3.safetensors");
        CheckpointFiles.write(file, ck);
        Checkpoint back = CheckpointFiles.read(file);

        assertEquals(List.copyOf(ck.tensors().keySet()), List.copyOf(back.tensors().keySet()), "names, in file order");
        ck.tensors().forEach((name, t) -> {
            Tensor b = back.tensors().get(name);
            assertEquals(t.dtype(), b.dtype(), name);
            assertArrayEquals(t.shape(), b.shape(), name);
            assertTrue(t.contentEquals(b), name + ": same bytes");
        });
        assertEquals(ck.metadata(), withoutChecksum(back.metadata()));
        assertTrue(back.metadata().get(Safetensors.CHECKSUM_KEY).matches("crc32c:[0-9a-f]{8}"),
                back.metadata().get(Safetensors.CHECKSUM_KEY));
    }

    @Test
    void writingTwiceGivesIdenticalBytes() throws IOException {
        CheckpointFiles.write(dir.resolve("a.safetensors"), sample());
        CheckpointFiles.write(dir.resolve("b.safetensors"), sample());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.safetensors")), Files.readAllBytes(dir.resolve("b.safetensors")));
    }

    @Test
    void anEmptyCheckpointRoundTrips() {
        Path file = dir.resolve("empty.safetensors");
        CheckpointFiles.write(file, new Checkpoint());
        Checkpoint back = CheckpointFiles.read(file);
        assertTrue(back.tensors().isEmpty());
        assertEquals(List.of(Safetensors.CHECKSUM_KEY), List.copyOf(back.metadata().keySet()));
    }

    @Test
    void fileLayoutIsSafetensors() throws Exception {
        Checkpoint ck = sample();
        Path file = dir.resolve("layout.safetensors");
        CheckpointFiles.write(file, ck);
        byte[] bytes = Files.readAllBytes(file);

        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to a multiple of 8 bytes");
        assertTrue(8 + n <= bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String trimmed = header.stripTrailing();
        assertTrue(trimmed.endsWith("}"), header);
        assertTrue(header.substring(trimmed.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        assertTrue(header.length() - trimmed.length() < 8, "at most 7 bytes of padding");

        Map<?, ?> root = (Map<?, ?>) Json.parse(header);
        Map<?, ?> meta = (Map<?, ?>) root.get("__metadata__");
        assertTrue(meta.values().stream().allMatch(v -> v instanceof String), "metadata values are strings");
        long dataStart = 8 + n;
        long expectedBegin = 0;
        for (Map.Entry<String, Tensor> e : ck.tensors().entrySet()) {
            Map<?, ?> info = (Map<?, ?>) root.get(e.getKey());
            assertEquals(e.getValue().dtype().name(), info.get("dtype"));
            assertEquals(Arrays.stream(e.getValue().shape()).boxed().toList(), info.get("shape"));
            List<?> off = (List<?>) info.get("data_offsets");
            long begin = (Long) off.get(0);
            long end = (Long) off.get(1);
            assertEquals(expectedBegin, begin, e.getKey() + ": contiguous, in write order");
            assertEquals(e.getValue().byteSize(), end - begin, e.getKey());
            byte[] expected = new byte[(int) e.getValue().byteSize()];
            e.getValue().data().get(expected);
            assertArrayEquals(expected, Arrays.copyOfRange(bytes, (int) (dataStart + begin), (int) (dataStart + end)),
                    e.getKey() + ": raw little-endian bytes");
            expectedBegin = end;
        }
        assertEquals(root.size(), ck.tensors().size() + 1);
        assertEquals(bytes.length, dataStart + expectedBegin, "nothing after the last tensor");
    }

    @Test
    void checksumIsCrc32cOfHeaderWithZeroedDigitsAndData() throws Exception {
        Path file = dir.resolve("crc.safetensors");
        CheckpointFiles.write(file, sample());
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        String stored = (String) ((Map<?, ?>) ((Map<?, ?>) Json.parse(header)).get("__metadata__")).get(Safetensors.CHECKSUM_KEY);
        String marker = "\"" + Safetensors.CHECKSUM_KEY + "\":\"crc32c:";
        int at = header.substring(0, header.indexOf(marker) + marker.length()).getBytes(StandardCharsets.UTF_8).length;
        byte[] zeroed = Arrays.copyOfRange(bytes, 8, 8 + n);
        Arrays.fill(zeroed, at, at + 8, (byte) '0');
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        crc.update(bytes, 8 + n, bytes.length - 8 - n);
        assertEquals(String.format("crc32c:%08x", crc.getValue()), stored);
    }

    @Test
    void paddingCountsBytesNotCharacters() throws IOException {
        for (int i = 0; i < 24; i++) {
            Checkpoint ck = new Checkpoint();
            ck.putMetadata("note", "é".repeat(i % 8) + "😀".repeat(i / 8) + "x".repeat(i % 3));
            ck.putTensor("t", tensor(DType.U8, new long[] {i}, i));
            Path file = dir.resolve("pad-" + i + ".safetensors");
            CheckpointFiles.write(file, ck);
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8, "case " + i);
            assertEquals(bytes.length, 8 + n + i, "case " + i);
            Checkpoint back = CheckpointFiles.read(file);
            assertEquals(ck.metadata().get("note"), back.metadata().get("note"));
            assertTrue(ck.tensors().get("t").contentEquals(back.tensors().get("t")));
        }
    }

    /** A file as Python's safetensors writes it: no Stride metadata, keys not in offset order. */
    @Test
    void readsAPlainSafetensorsFileWithoutChecksum() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"format\":\"pt\"}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(7).putInt(-7).putFloat(1.5f).putFloat(-2f);
        Path file = dir.resolve("python.safetensors");
        Files.write(file, SafetensorsCorruptionTest.file(header, data.array()));
        Checkpoint ck = CheckpointFiles.read(file);
        assertArrayEquals(new float[] {1.5f, -2f}, ck.tensors().get("a").toFloats());
        ByteBuffer b = ck.tensors().get("b").data();
        assertEquals(7, b.getInt(0));
        assertEquals(-7, b.getInt(4));
        assertEquals(Map.of("format", "pt"), new HashMap<>(ck.metadata()));
    }
}
