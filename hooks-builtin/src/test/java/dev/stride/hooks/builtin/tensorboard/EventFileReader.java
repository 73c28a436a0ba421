package dev.stride.hooks.builtin.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of TensorBoard event files for the tests: TFRecord framing checked with
 * its own bitwise CRC32C (not the JDK's, which the writer uses), and a small protobuf decoder for
 * {@code Event} / {@code Summary} / {@code Summary.Value}.
 */
final class EventFileReader {
    /** One decoded Event; {@code scalars} maps tag to simple_value. */
    record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars) {}

    private EventFileReader() {}

    static List<Event> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] header = new byte[8];
            in.get(header);
            int headerCrc = in.getInt();
            check(masked(crc32c(header)) == headerCrc, "length CRC of record " + events.size());
            long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = new byte[(int) length];
            in.get(data);
            check(masked(crc32c(data)) == in.getInt(), "data CRC of record " + events.size());
            events.add(event(data));
        }
        return events;
    }

    /** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, bit by bit. */
    static int crc32c(byte[] bytes) {
        int crc = 0xFFFFFFFF;
        for (byte b : bytes) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }

    private static Event event(byte[] data) {
        Proto p = new Proto(data);
        double wall = Double.NaN;
        long step = 0;
        String version = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        while (p.more()) {
            long key = p.varint();
            int field = (int) (key >>> 3);
            int type = (int) (key & 7);
            if (field == 1 && type == 1) {
                wall = Double.longBitsToDouble(p.fixed64());
            } else if (field == 2 && type == 0) {
                step = p.varint();
            } else if (field == 3 && type == 2) {
                version = new String(p.bytes(), StandardCharsets.UTF_8);
            } else if (field == 5 && type == 2) {
                summary(p.bytes(), scalars);
            } else {
                throw new AssertionError("unexpected Event field " + field + " of wire type " + type);
            }
        }
        return new Event(wall, step, version, scalars);
    }

    private static void summary(byte[] data, Map<String, Float> scalars) {
        Proto p = new Proto(data);
        while (p.more()) {
            long key = p.varint();
            check(key == (1 << 3 | 2), "Summary holds only values (field 1), got key " + key);
            Proto v = new Proto(p.bytes());
            String tag = null;
            Float value = null;
            while (v.more()) {
                long k = v.varint();
                if (k == (1 << 3 | 2)) {
                    tag = new String(v.bytes(), StandardCharsets.UTF_8);
                } else if (k == (2 << 3 | 5)) {
                    value = Float.intBitsToFloat(v.fixed32());
                } else {
                    throw new AssertionError("unexpected Value key " + k);
                }
            }
            check(tag != null && value != null, "a Value with a tag and a simple_value");
            scalars.put(tag, value);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("bad event file: " + what);
        }
    }

    /** A cursor over protobuf bytes. */
    private static final class Proto {
        private final ByteBuffer in;

        Proto(byte[] data) {
            in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean more() {
            return in.hasRemaining();
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
        }

        long fixed64() {
            return in.getLong();
        }

        int fixed32() {
            return in.getInt();
        }

        byte[] bytes() {
            byte[] b = new byte[(int) varint()];
            in.get(b);
            return b;
        }
    }
}
