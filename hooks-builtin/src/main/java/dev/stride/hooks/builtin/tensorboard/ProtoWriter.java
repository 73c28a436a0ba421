package dev.stride.hooks.builtin.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one protocol buffers message by hand: each field is a key (field number and wire type
 * as a varint) followed by a varint, 8 or 4 little-endian bytes, or a length-prefixed payload.
 * Just what TensorBoard's {@code Event} and {@code Summary} need; no protobuf library.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter doubleField(int field, double value) {
        key(field, FIXED64);
        littleEndian(Double.doubleToLongBits(value), 8);
        return this;
    }

    ProtoWriter floatField(int field, float value) {
        key(field, FIXED32);
        littleEndian(Float.floatToIntBits(value), 4);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message or raw bytes. */
    ProtoWriter bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    /** Seven bits per byte, least significant first, the high bit set on all but the last. */
    private void varint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void littleEndian(long bits, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (bits >>> 8 * i) & 0xFF);
        }
    }
}
