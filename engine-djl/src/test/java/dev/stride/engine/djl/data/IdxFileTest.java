package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path tmp;

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        byte[] raw = idx(0x0803, new int[] {2, 2, 3}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 255});
        Path a = Files.write(tmp.resolve("a"), raw);
        Path b = Files.write(tmp.resolve("b.gz"), gzip(raw));
        IdxFile x = IdxFile.read(a);
        IdxFile y = IdxFile.read(b);
        assertArrayEquals(new int[] {2, 2, 3}, x.dims);
        assertArrayEquals(x.data, y.data);
        assertEquals(2, x.count());
        assertEquals((byte) 255, y.data[11]);
    }

    @Test
    void theBundledMnistSubsetHas8000TrainAnd2000TestImages() {
        Path root = Path.of("../data/mnist-10k");
        assertArrayEquals(new int[] {8000, 28, 28}, IdxFile.read(root.resolve("train-images-idx3-ubyte.gz")).dims);
        assertArrayEquals(new int[] {2000}, IdxFile.read(root.resolve("t10k-labels-idx1-ubyte.gz")).dims);
    }

    @Test
    void aWrongMagicATruncatedFileAndTrailingBytesAreErrorsNamingTheFile() throws IOException {
        Path magic = Files.write(tmp.resolve("magic"), idx(0x0D03, new int[] {1, 1, 1}, new byte[] {0}));
        BadInputException e = assertThrows(BadInputException.class, () -> IdxFile.read(magic));
        assertTrue(e.getMessage().contains(magic.toString()) && e.getMessage().contains("magic number is 0x00000d03"),
                e.getMessage());

        Path cut = Files.write(tmp.resolve("cut.gz"), gzip(idx(0x0801, new int[] {10}, new byte[] {1, 2, 3})));
        e = assertThrows(BadInputException.class, () -> IdxFile.read(cut));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(cut.toString()), e.getMessage());

        Path header = Files.write(tmp.resolve("header"), new byte[] {0, 0, 8, 3, 0});
        e = assertThrows(BadInputException.class, () -> IdxFile.read(header));
        assertTrue(e.getMessage().contains("truncated inside its header"), e.getMessage());

        Path extra = Files.write(tmp.resolve("extra"), idx(0x0801, new int[] {1}, new byte[] {1, 2}));
        e = assertThrows(BadInputException.class, () -> IdxFile.read(extra));
        assertTrue(e.getMessage().contains("bytes after"), e.getMessage());

        e = assertThrows(BadInputException.class, () -> IdxFile.read(tmp.resolve("none")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
