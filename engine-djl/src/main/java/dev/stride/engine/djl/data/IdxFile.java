package dev.stride.engine.djl.data;

import dev.stride.runner.api.BadInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A file in LeCun's IDX format (MNIST, Fashion-MNIST): magic {@code 0x0000 TT DD} (TT = element
 * type, only unsigned bytes 0x08 are used by these sets, DD = number of dimensions), the
 * dimensions as big-endian ints, then the elements. Gzipped files are read transparently.
 */
final class IdxFile {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    final Path path;
    final int[] dims;
    final byte[] data;

    private IdxFile(Path path, int[] dims, byte[] data) {
        this.path = path;
        this.dims = dims;
        this.data = data;
    }

    /** Reads {@code path}; every problem is a {@link BadInputException} naming the file. */
    static IdxFile read(Path path) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
            DataInputStream d = new DataInputStream(in);
            int magic = d.readInt();
            int type = (magic >> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
                throw new BadInputException("data file " + path + " is not an IDX file of unsigned bytes: its magic number is 0x"
                        + String.format("%08x", magic) + ", expected 0x00000801 (labels) or 0x00000803 (images)");
            }
            int[] dims = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = d.readInt();
                if (dims[i] < 0) {
                    throw new BadInputException("data file " + path + " has a negative dimension " + dims[i]);
                }
                n *= dims[i];
                if (n > MAX_ELEMENTS) {
                    throw new BadInputException("data file " + path + " claims " + Arrays.toString(dims) + " elements, too many");
                }
            }
            byte[] data = new byte[(int) n];
            try {
                d.readFully(data);
            } catch (EOFException e) {
                throw new BadInputException("data file " + path + " is truncated: its header promises "
                        + Arrays.toString(dims) + " = " + n + " bytes of data");
            }
            if (in.read() != -1) {
                throw new BadInputException("data file " + path + " has bytes after the " + n + " its header promises");
            }
            return new IdxFile(path, dims, data);
        } catch (NoSuchFileException e) {
            throw new BadInputException("data file " + path + " does not exist (looked for it at " + path.toAbsolutePath() + ")");
        } catch (EOFException e) {
            throw new BadInputException("data file " + path + " is truncated inside its header");
        } catch (IOException e) {
            throw new BadInputException("data file " + path + " cannot be read: " + e.getMessage());
        }
    }

    /** The number of items (first dimension). */
    int count() {
        return dims[0];
    }
}
