package dev.stride.runner.api.checkpoint.fuzz;

import dev.stride.runner.api.internal.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/** Applies one {@link Mutation} to the bytes of a safetensors file. */
final class Mutator {
    private static final byte[] SIGNIFICANT = "\"\\{}[],:-0123456789eE. \t\n\u0000".getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] NUMBERS = {"-1", "0", "1", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "18446744073709551616", "4611686018427387904", "2147483648", "1e309", "1.0", "-0",
        "00", "-", "1e", "104857601"};
    private static final String[] TOKENS = {"\"", "\\", "\\u", "\\ud800", "\\u0000", "{", "}", "[", "]", ",", ":", "null",
        "true", "\"a\":1,", "é", "😀", "\u0001", "[".repeat(40), "{\"x\":".repeat(40), "\"__metadata__\":{},"};
    private static final Object[] DTYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F128",
        "", "f32", null, 7L};
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern DTYPE = Pattern.compile("\"(F64|F32|F16|BF16|I64|I32|I16|I8|U8|BOOL)\"");
    private static final byte[] MARKER = "\"stride.checksum\":\"crc32c:".getBytes(StandardCharsets.US_ASCII);

    private final Random rnd;

    Mutator(Random rnd) {
        this.rnd = rnd;
    }

    byte[] apply(Mutation m, byte[] file) {
        return switch (m) {
            case BIT_FLIP -> flip(file);
            case HIGH_BITS -> highBits(file);
            case BYTE_REPLACEMENT -> replace(file);
            case DAMAGED_SECTOR -> sector(file);
            case TRUNCATION -> Arrays.copyOf(file, rnd.nextBoolean() ? rnd.nextInt(file.length + 1) : rnd.nextInt(Math.min(file.length, 9) + 1));
            case INSERTION -> insert(file);
            case DELETION -> delete(file);
            case HEADER_LENGTH -> headerLength(file);
            case HEADER_TEXT -> editHeader(file, false);
            case HEADER_JSON -> editHeader(file, true);
            case FORGED -> forge(editHeader(file, rnd.nextBoolean()));
        };
    }

    // ---- byte-level damage

    /** A position, half the time inside the header (where the parser works). */
    private int position(byte[] file) {
        int header = headerEnd(file);
        if (header > 8 && rnd.nextBoolean()) {
            return rnd.nextInt(header);
        }
        return rnd.nextInt(file.length);
    }

    private byte[] flip(byte[] file) {
        if (file.length == 0) {
            return file;
        }
        byte[] b = file.clone();
        b[position(b)] ^= (byte) (1 << rnd.nextInt(8));
        return b;
    }

    private byte[] highBits(byte[] file) {
        int end = headerEnd(file);
        if (end <= 8) {
            return flip(file);
        }
        byte[] b = file.clone();
        int n = 1 + rnd.nextInt(8);
        int start = 8 + rnd.nextInt(end - 8);
        for (int i = 0; i < n; i++) {
            int at = rnd.nextBoolean() ? Math.min(end - 1, start + i) : 8 + rnd.nextInt(end - 8);
            b[at] |= (byte) 0x80;
        }
        return b;
    }

    private byte[] replace(byte[] file) {
        if (file.length == 0) {
            return file;
        }
        byte[] b = file.clone();
        int n = 1 + rnd.nextInt(16);
        int at = position(b);
        for (int i = 0; i < n && at + i < b.length; i++) {
            b[at + i] = rnd.nextBoolean() ? SIGNIFICANT[rnd.nextInt(SIGNIFICANT.length)] : (byte) rnd.nextInt(256);
        }
        return b;
    }

    private byte[] sector(byte[] file) {
        byte[] b = file.clone();
        int sectors = (b.length + 511) / 512;
        int from = rnd.nextInt(Math.max(1, sectors)) * 512;
        int fill = rnd.nextInt(3);
        for (int i = from; i < Math.min(b.length, from + 512); i++) {
            b[i] = switch (fill) {
                case 0 -> 0;
                case 1 -> (byte) 0xFF;
                default -> (byte) rnd.nextInt(256);
            };
        }
        return b;
    }

    private byte[] insert(byte[] file) {
        int at = file.length == 0 ? 0 : position(file);
        byte[] extra = new byte[1 + rnd.nextInt(64)];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = rnd.nextBoolean() ? SIGNIFICANT[rnd.nextInt(SIGNIFICANT.length)] : (byte) rnd.nextInt(256);
        }
        byte[] b = new byte[file.length + extra.length];
        System.arraycopy(file, 0, b, 0, at);
        System.arraycopy(extra, 0, b, at, extra.length);
        System.arraycopy(file, at, b, at + extra.length, file.length - at);
        return b;
    }

    private byte[] delete(byte[] file) {
        if (file.length == 0) {
            return file;
        }
        int at = position(file);
        int n = Math.min(file.length - at, 1 + rnd.nextInt(64));
        byte[] b = new byte[file.length - n];
        System.arraycopy(file, 0, b, 0, at);
        System.arraycopy(file, at + n, b, at, file.length - at - n);
        return b;
    }

    private byte[] headerLength(byte[] file) {
        if (file.length < 8) {
            return insert(file);
        }
        long real = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long size = file.length;
        long[] choices = {0, 1, 2, 7, 8, real - 1 - rnd.nextInt(16), real + 1 + rnd.nextInt(16), real * 2, size - 8, size - 7,
            size, Integer.MAX_VALUE, 1L << 31, (1L << 32) + real, 100L * 1024 * 1024, 100L * 1024 * 1024 + 1, Long.MAX_VALUE, -1,
            Long.MIN_VALUE, rnd.nextLong()};
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, choices[rnd.nextInt(choices.length)]);
        return b;
    }

    // ---- header edits (the length is rewritten so the parser reads the edited header)

    private byte[] editHeader(byte[] file, boolean structural) {
        int end = headerEnd(file);
        if (end <= 8) {
            return flip(file);
        }
        String header = new String(file, 8, end - 8, StandardCharsets.UTF_8);
        String edited = structural ? editJson(header) : editText(header);
        if (edited == null) {
            edited = editText(header);
        }
        StringBuilder padded = new StringBuilder(edited);
        if (rnd.nextInt(4) > 0) {
            while (padded.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
                padded.append(' ');
            }
        }
        byte[] h = padded.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + file.length - end).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(file, end, file.length - end).array();
    }

    private String editText(String header) {
        switch (rnd.nextInt(5)) {
            case 0 -> {
                List<int[]> numbers = spans(NUMBER.matcher(header));
                if (!numbers.isEmpty()) {
                    int[] s = numbers.get(rnd.nextInt(numbers.size()));
                    return header.substring(0, s[0]) + NUMBERS[rnd.nextInt(NUMBERS.length)] + header.substring(s[1]);
                }
                return header;
            }
            case 1 -> {
                List<int[]> dtypes = spans(DTYPE.matcher(header));
                if (!dtypes.isEmpty()) {
                    int[] s = dtypes.get(rnd.nextInt(dtypes.size()));
                    Object d = DTYPES[rnd.nextInt(DTYPES.length)];
                    return header.substring(0, s[0]) + (d instanceof String t ? "\"" + t + "\"" : String.valueOf(d)) + header.substring(s[1]);
                }
                return header;
            }
            case 2 -> {
                int at = rnd.nextInt(header.length());
                return header.substring(0, at) + header.substring(Math.min(header.length(), at + 1 + rnd.nextInt(40)));
            }
            case 3 -> {
                int at = rnd.nextInt(header.length());
                int to = Math.min(header.length(), at + 1 + rnd.nextInt(60));
                return header.substring(0, to) + header.substring(at, to) + header.substring(to);
            }
            default -> {
                int at = rnd.nextInt(header.length() + 1);
                return header.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + header.substring(at);
            }
        }
    }

    private static List<int[]> spans(Matcher m) {
        List<int[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    /** A structural edit of the parsed header, written back as JSON; null when the header does not parse. */
    @SuppressWarnings("unchecked")
    private String editJson(String header) {
        Map<String, Object> root;
        try {
            if (!(Json.parse(header) instanceof Map<?, ?> m)) {
                return null;
            }
            root = new LinkedHashMap<>((Map<String, Object>) m);
        } catch (Json.SyntaxException e) {
            return null;
        }
        List<String> tensors = new ArrayList<>(root.keySet());
        tensors.remove("__metadata__");
        Map<String, Object> meta = root.get("__metadata__") instanceof Map<?, ?> mm
                ? new LinkedHashMap<>((Map<String, Object>) mm) : new LinkedHashMap<>();
        String t = tensors.isEmpty() ? null : tensors.get(rnd.nextInt(tensors.size()));
        Map<String, Object> info = t != null && root.get(t) instanceof Map<?, ?> im ? new LinkedHashMap<>((Map<String, Object>) im) : null;
        int edit = rnd.nextInt(12);
        if (info == null && edit >= 3 && edit <= 9) {
            edit = rnd.nextInt(3);
        }
        switch (edit) {
            case 0 -> root.remove("__metadata__");
            case 1 -> {
                meta.remove("stride.checksum");
                root.put("__metadata__", meta);
            }
            case 2 -> {
                List<String> keys = new ArrayList<>(meta.keySet());
                String k = keys.isEmpty() ? "k" : keys.get(rnd.nextInt(keys.size()));
                Object[] values = {7L, 1.5, null, true, List.of("a"), Map.of("a", "b"), nested(5 + rnd.nextInt(60)), "x".repeat(rnd.nextInt(3000))};
                meta.put(k, values[rnd.nextInt(values.length)]);
                root.put("__metadata__", meta);
            }
            case 3 -> {
                Object[] shapes = {List.of(), List.of(0L), List.of(-1L), List.of(1L << 62, 4L), List.of(Long.MAX_VALUE),
                    List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L), List.of("a"), List.of(1.5), "2",
                    List.of(3L, 1L << 40, 1L << 40)};
                info.put("shape", shapes[rnd.nextInt(shapes.length)]);
                root.put(t, info);
            }
            case 4 -> {
                Object[] offsets = {List.of(0L, 1L << 62), List.of(-8L, 0L), List.of(8L, 0L), List.of(0L), "x", List.of(0L, Long.MAX_VALUE),
                    List.of(1L, 1L), List.of(0.0, 8.0)};
                info.put("data_offsets", offsets[rnd.nextInt(offsets.length)]);
                root.put(t, info);
            }
            case 5 -> {
                if (info.get("data_offsets") instanceof List<?> off && off.size() == 2 && off.get(0) instanceof Long b
                        && off.get(1) instanceof Long e) {
                    long d = rnd.nextBoolean() ? 1 : -1 - rnd.nextInt(8);
                    info.put("data_offsets", List.of(b + d, e + d));
                    root.put(t, info);
                }
            }
            case 6 -> {
                String other = tensors.get(rnd.nextInt(tensors.size()));
                if (root.get(other) instanceof Map<?, ?> o) {
                    Object swap = o.get("data_offsets");
                    Map<String, Object> oi = new LinkedHashMap<>((Map<String, Object>) o);
                    oi.put("data_offsets", info.get("data_offsets"));
                    info.put("data_offsets", swap);
                    root.put(t, info);
                    root.put(other, oi);
                }
            }
            case 7 -> {
                info.put("dtype", DTYPES[rnd.nextInt(DTYPES.length)]);
                root.put(t, info);
            }
            case 8 -> root.put(t + ".copy", info);
            case 9 -> root.remove(t);
            case 10 -> root.put(t == null ? "x" : t, rnd.nextBoolean() ? List.of(1L, 2L) : "tensor");
            default -> root.put("deep", nested(20 + rnd.nextInt(100)));
        }
        return Json.write(root);
    }

    private static Object nested(int depth) {
        Object v = List.of();
        for (int i = 0; i < depth; i++) {
            v = List.of(v);
        }
        return v;
    }

    /** Recomputes the Stride checksum (CRC32C of the header with the digits zeroed, then the data), if there is one. */
    static byte[] forge(byte[] file) {
        int end = headerEnd(file);
        if (end <= 8) {
            return file;
        }
        int at = indexOf(file, MARKER, 8, end);
        if (at < 0 || at + MARKER.length + 8 > end) {
            return file;
        }
        int digits = at + MARKER.length;
        byte[] b = file.clone();
        Arrays.fill(b, digits, digits + 8, (byte) '0');
        CRC32C crc = new CRC32C();
        crc.update(b, 8, end - 8);
        crc.update(b, end, b.length - end);
        byte[] hex = String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, b, digits, 8);
        return b;
    }

    /** The end of the header (8 + its length) when the length fits in the file, else 0. */
    static int headerEnd(byte[] file) {
        if (file.length < 8) {
            return 0;
        }
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n >= 2 && n <= file.length - 8 ? (int) (8 + n) : 0;
    }

    private static int indexOf(byte[] b, byte[] what, int from, int to) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
