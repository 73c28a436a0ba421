package dev.stride.runner.api.checkpoint;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DType;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.internal.Json;
import dev.stride.runner.api.internal.Printable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apiguardian.api.API;

/**
 * The safetensors file format, as Python's {@code safetensors} reads it: an 8-byte
 * little-endian header length N, N bytes of JSON header
 * ({@code {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}}, padded with
 * spaces to a multiple of 8), then the tensors' raw little-endian bytes, back to back.
 *
 * <p>Stride adds {@value #CHECKSUM_KEY} to the metadata: the CRC32C of the header (with the
 * checksum's own eight hex digits written as zeros) followed by all tensor bytes. Any flipped
 * bit in the file is then detected.
 *
 * <p>The reader bounds everything before allocating: the header length (at most
 * {@value #MAX_HEADER} bytes and inside the file), each tensor's offsets (inside the data,
 * contiguous, no overlap, exactly the bytes its dtype and shape need). Its only exception is
 * {@link CorruptCheckpointException}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Safetensors {
    /** Metadata key of the checksum. */
    public static final String CHECKSUM_KEY = "stride.checksum";
    /** Largest header accepted: 100 MB. */
    public static final long MAX_HEADER = 100L * 1024 * 1024;

    private static final String CHECKSUM_PREFIX = "crc32c:";
    private static final String CHECKSUM_ZERO = "00000000";

    private Safetensors() {}

    // ---------------------------------------------------------------- writing

    /**
     * A checkpoint laid out for writing: the header (length prefix included) with the checksum's
     * eight hex digits still zero, then the tensors' bytes. {@link #crc()} computes the checksum,
     * which belongs at file offset {@link #checksumOffset()}; computing it while the bytes are
     * being written hides its cost.
     */
    record Encoded(ByteBuffer[] buffers, long checksumOffset) {
        /** The CRC32C of the header (checksum zeroed) and all tensor bytes, as eight hex digits. */
        byte[] crc() {
            CRC32C crc = new CRC32C();
            ByteBuffer head = buffers[0].duplicate();
            head.position(8);
            crc.update(head);
            for (int i = 1; i < buffers.length; i++) {
                crc.update(buffers[i].duplicate());
            }
            return String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        }
    }

    static Encoded encode(Checkpoint ck) {
        Map<String, Tensor> tensors = ck.tensors();
        StringBuilder json = new StringBuilder(256 + 96 * tensors.size());
        json.append("{\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : ck.metadata().entrySet()) {
            if (e.getKey().equals(CHECKSUM_KEY)) {
                continue;
            }
            if (!first) {
                json.append(',');
            }
            first = false;
            Json.quote(json, e.getKey()).append(':');
            Json.quote(json, e.getValue());
        }
        if (!first) {
            json.append(',');
        }
        Json.quote(json, CHECKSUM_KEY).append(":\"").append(CHECKSUM_PREFIX);
        int checksumAt = json.length();
        json.append(CHECKSUM_ZERO).append("\"}");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            json.append(',');
            Json.quote(json, e.getKey()).append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',');
            offset += t.byteSize();
            json.append(offset).append("]}");
        }
        json.append('}');
        while (utf8Length(json) % 8 != 0) {
            json.append(' ');
        }
        byte[] headerBytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int checksumByteAt = utf8Length(json.subSequence(0, checksumAt));
        ByteBuffer[] out = new ByteBuffer[tensors.size() + 1];
        ByteBuffer head = ByteBuffer.allocate(8 + headerBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(headerBytes.length).put(headerBytes).flip();
        out[0] = head;
        int i = 1;
        for (Tensor t : tensors.values()) {
            out[i++] = t.data();
        }
        return new Encoded(out, 8L + checksumByteAt);
    }

    private static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- reading

    /** Reads and verifies a checkpoint file. */
    public static Checkpoint read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (NoSuchFileException missing) {
            throw new CorruptCheckpointException(file, "the file does not exist");
        } catch (IOException e) {
            throw new CorruptCheckpointException(file, "it cannot be read (" + e.getMessage() + ")");
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** The header of a file: its length, bytes, text and parsed JSON object. */
    private record Header(long length, byte[] bytes, String text, Map<?, ?> root) {}

    /**
     * What the header of a checkpoint says, without reading or verifying its tensors: the metadata
     * and the tensor names. The header is checked as {@link #read(Path)} checks it.
     */
    record Summary(Map<String, String> metadata, List<String> tensorNames) {}

    static Summary readSummary(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            Map<String, String> meta = new java.util.LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (Map.Entry<?, ?> e : h.root().entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    metadata(file, e.getValue(), meta::put);
                } else {
                    names.add(name);
                }
            }
            return new Summary(meta, names);
        } catch (NoSuchFileException missing) {
            throw new CorruptCheckpointException(file, "the file does not exist");
        } catch (IOException e) {
            throw new CorruptCheckpointException(file, "it cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new CorruptCheckpointException(file, "it has " + size + " bytes, fewer than the 8-byte header length"
                    + " of a safetensors file");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long headerLen = lenBuf.flip().getLong();
        if (headerLen < 2 || headerLen > MAX_HEADER) {
            throw new CorruptCheckpointException(file, "its header length " + Long.toUnsignedString(headerLen)
                    + " is outside 2.." + MAX_HEADER + " bytes: not a safetensors file, or a damaged one");
        }
        if (headerLen > size - 8) {
            throw new CorruptCheckpointException(file, "its header claims " + headerLen + " bytes but the file has only "
                    + (size - 8) + " after the length: the file is truncated");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, 8);
        byte[] headerBytes = headerBuf.array();
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CorruptCheckpointException(file, "its header is not valid UTF-8 (" + e.getMessage() + ")");
        }
        Object parsed;
        try {
            parsed = Json.parse(header);
        } catch (Json.SyntaxException e) {
            throw new CorruptCheckpointException(file, "its header is not valid JSON (" + Printable.of(e.getMessage()) + ")");
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new CorruptCheckpointException(file, "its header is not a JSON object");
        }
        return new Header(headerLen, headerBytes, header, root);
    }

    private static void metadata(Path file, Object value, java.util.function.BiConsumer<String, String> put) {
        if (!(value instanceof Map<?, ?> meta)) {
            throw new CorruptCheckpointException(file, "__metadata__ is not an object of strings");
        }
        for (Map.Entry<?, ?> m : meta.entrySet()) {
            if (!(m.getValue() instanceof String v)) {
                throw new CorruptCheckpointException(file, "metadata \"" + Printable.of(m.getKey()) + "\" is not a string");
            }
            put.accept((String) m.getKey(), v);
        }
    }

    private static Checkpoint read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        Header h = header(file, ch);
        long headerLen = h.length();
        byte[] headerBytes = h.bytes();
        String header = h.text();
        Map<?, ?> root = h.root();
        long dataLen = size - 8 - headerLen;
        Checkpoint ck = new Checkpoint();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                metadata(file, e.getValue(), ck::putMetadata);
            } else {
                entries.add(entry(file, name, e.getValue(), dataLen));
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry en : byOffset) {
            if (en.begin != expected) {
                throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(en.name) + "\" starts at byte " + en.begin
                        + " of the data but " + (en.begin < expected ? "overlaps the one before" : "leaves a gap after")
                        + " the previous tensor, which ends at " + expected);
            }
            expected = en.end;
        }
        if (expected != dataLen) {
            throw new CorruptCheckpointException(file, "its tensors cover " + expected + " bytes but the file holds "
                    + dataLen + " bytes of data: " + (expected > dataLen ? "the file is truncated" : "trailing bytes"));
        }
        String checksum = ck.metadata().get(CHECKSUM_KEY);
        if (checksum == null && ck.metadata().containsKey("stride.format")) {
            throw new CorruptCheckpointException(file, "it is a Stride checkpoint without its " + CHECKSUM_KEY + " entry");
        }
        if (dataLen > Integer.MAX_VALUE - 16) {
            throw new CorruptCheckpointException(file, "tensors of more than 2 GB are not supported yet");
        }
        ByteBuffer data = ByteBuffer.allocate((int) dataLen);
        readFully(ch, data, 8 + headerLen);
        data.flip();
        if (checksum != null) {
            verify(file, header, headerBytes, data, checksum);
        }
        for (Entry en : entries) {
            ByteBuffer slice = data.duplicate().position((int) en.begin).limit((int) en.end);
            ck.putTensor(en.name, new Tensor(en.dtype, en.shape, slice));
        }
        return ck;
    }

    private static Entry entry(Path file, String name, Object value, long dataLen) {
        if (!(value instanceof Map<?, ?> info)) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" is not described by an object");
        }
        DType dtype = info.get("dtype") instanceof String s ? DType.fromName(s) : null;
        if (dtype == null) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" has an unknown dtype " + Printable.of(info.get("dtype")));
        }
        if (!(info.get("shape") instanceof List<?> shapeList) || shapeList.size() > 16) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" has no valid shape");
        }
        long[] shape = new long[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0) {
                throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" has a bad dimension " + Printable.of(shapeList.get(i)));
            }
            shape[i] = d;
        }
        if (!(info.get("data_offsets") instanceof List<?> off) || off.size() != 2
                || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end)) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" has no valid data_offsets");
        }
        if (begin < 0 || end < begin || end > dataLen) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataLen + " bytes of data: the file is truncated, or its header is damaged");
        }
        long need = Tensor.byteSize(dtype, shape);
        if (need < 0) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" of " + dtype + " shape "
                    + java.util.Arrays.toString(shape) + " has more than 2^63 bytes: its header is damaged or forged");
        }
        if (need != end - begin) {
            throw new CorruptCheckpointException(file, "tensor \"" + Printable.of(name) + "\" of " + dtype + " shape "
                    + java.util.Arrays.toString(shape) + " needs " + need + " bytes but its offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void verify(Path file, String header, byte[] headerBytes, ByteBuffer data, String checksum) {
        String marker = "\"" + CHECKSUM_KEY + "\":\"" + CHECKSUM_PREFIX;
        int at = header.indexOf(marker);
        if (at < 0 || !checksum.startsWith(CHECKSUM_PREFIX) || checksum.length() != CHECKSUM_PREFIX.length() + 8) {
            throw new CorruptCheckpointException(file, "its checksum entry is malformed");
        }
        int byteAt = header.substring(0, at + marker.length()).getBytes(StandardCharsets.UTF_8).length;
        byte[] zeroed = headerBytes.clone();
        System.arraycopy(CHECKSUM_ZERO.getBytes(StandardCharsets.US_ASCII), 0, zeroed, byteAt, 8);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        crc.update(data.duplicate());
        String actual = String.format("%08x", crc.getValue());
        if (!checksum.substring(CHECKSUM_PREFIX.length()).equals(actual)) {
            throw new CorruptCheckpointException(file, "its checksum does not match (stored " + checksum + ", computed "
                    + CHECKSUM_PREFIX + actual + "): the file was damaged after it was written");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
