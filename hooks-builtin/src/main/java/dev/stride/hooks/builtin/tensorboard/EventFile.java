package dev.stride.hooks.builtin.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * A TensorBoard event file, {@code events.out.tfevents.<seconds>.<host>}: TFRecords, each
 * {@code uint64 length}, {@code uint32 masked CRC32C of the length}, the data, {@code uint32
 * masked CRC32C of the data}, all little-endian. Flushed after every record, so TensorBoard shows
 * a run live and a killed run keeps what it logged.
 */
final class EventFile implements AutoCloseable {
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path path;
    private final OutputStream out;

    /** Creates a new event file in {@code dir} and writes the file-version event. */
    EventFile(Path dir, long wallSeconds, String host) {
        try {
            Files.createDirectories(dir);
            String base = String.format(Locale.ROOT, "events.out.tfevents.%010d.%s", wallSeconds, host);
            Path p = dir.resolve(base);
            for (int n = 2; Files.exists(p); n++) {
                p = dir.resolve(base + "." + n);
            }
            this.path = p;
            this.out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a TensorBoard event file in " + dir + ": " + e.getMessage(), e);
        }
        write(Events.fileVersion(wallSeconds));
    }

    Path path() {
        return path;
    }

    /** Appends one record holding {@code data} (an encoded Event). */
    void write(byte[] data) {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(data.length);
        head.putInt(maskedCrc(head.array(), 0, 8));
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, 0, data.length));
        try {
            out.write(head.array());
            out.write(data);
            out.write(tail.array());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TensorBoard event file " + path + ": " + e.getMessage(), e);
        }
    }

    /** TFRecord's mask: rotate the CRC right by 15 bits and add a constant, so CRCs of CRCs stay strong. */
    static int maskedCrc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the TensorBoard event file " + path + ": " + e.getMessage(), e);
        }
    }
}
