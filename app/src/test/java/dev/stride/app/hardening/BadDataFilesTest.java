package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken IDX data files through the command line: a wrong magic number, a truncated file, a
 * broken gzip stream, a label outside the classes. Each is exit 2 with a message naming the file
 * (and the sample), no stack trace, and nothing written to the work dir.
 */
class BadDataFilesTest {
    private static final int COUNT = 4;

    @TempDir
    Path tmp;

    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // IDX is big-endian
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static byte[] images() {
        return idx(0x00000803, new int[] {COUNT, 2, 2}, new byte[COUNT * 4]);
    }

    private static byte[] labels(byte... values) {
        return idx(0x00000801, new int[] {COUNT}, values);
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** Trains on a data folder holding {@code images} and {@code labels} under the given file names. */
    private InProcess.Result train(String imagesName, byte[] images, byte[] labels) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("data"));
        Files.write(root.resolve(imagesName), images);
        Files.write(root.resolve("train-labels-idx1-ubyte"), labels);
        Path work = tmp.resolve("work");
        String job = Jobs.job(work, "type = synthetic", "").replace(
                "type = synthetic, size = 160, shape = [4], num-classes = 3, batch-size = 16, shuffle = true",
                "type = mnist-idx, root = \"" + root + "\", split = train, batch-size = 2");
        InProcess.Result r = InProcess.stride("train", Jobs.write(tmp, "job.conf", job).toString());
        assertEquals(2, r.exit(), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace for bad data:\n" + r.all());
        assertFalse(Files.exists(work), "nothing written before the data is valid");
        return r;
    }

    @Test
    void theGoodFilesTrain() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("good"));
        Files.write(root.resolve("train-images-idx3-ubyte"), images());
        Files.write(root.resolve("train-labels-idx1-ubyte"), labels((byte) 0, (byte) 1, (byte) 2, (byte) 9));
        String job = Jobs.job(tmp.resolve("work"), "type = synthetic", "").replace(
                "type = synthetic, size = 160, shape = [4], num-classes = 3, batch-size = 16, shuffle = true",
                "type = mnist-idx, root = \"" + root + "\", split = train, batch-size = 2");
        InProcess.Result r = InProcess.stride("train", Jobs.write(tmp, "job.conf", job).toString());
        assertEquals(0, r.exit(), "the files the other cases break are valid:\n" + r.all());
    }

    @Test
    void aWrongMagicNumberNamesTheFile() throws IOException {
        byte[] bad = images();
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, bad, 0, 4); // a zip file's magic
        InProcess.Result r = train("train-images-idx3-ubyte", bad, labels(new byte[COUNT]));
        assertTrue(r.err().contains("data file " + tmp.resolve("data/train-images-idx3-ubyte") + " is not an IDX file"), r.err());
    }

    @Test
    void aTruncatedFileNamesTheFile() throws IOException {
        byte[] cut = Arrays.copyOf(images(), images().length - 3);
        InProcess.Result r = train("train-images-idx3-ubyte", cut, labels(new byte[COUNT]));
        assertTrue(r.err().contains("data file " + tmp.resolve("data/train-images-idx3-ubyte") + " is truncated"), r.err());
    }

    @Test
    void aBrokenGzipStreamNamesTheFile() throws IOException {
        byte[] gz = gzip(images());
        InProcess.Result r = train("train-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length - 12), labels(new byte[COUNT]));
        assertTrue(r.err().contains("data file " + tmp.resolve("data/train-images-idx3-ubyte.gz")), r.err());
    }

    @Test
    void aLabelOutsideTheClassesNamesTheFileAndTheSample() throws IOException {
        InProcess.Result r = train("train-images-idx3-ubyte", images(), labels((byte) 0, (byte) 1, (byte) 2, (byte) 12));
        assertTrue(r.err().contains("data file " + tmp.resolve("data/train-labels-idx1-ubyte") + ": label 12 of sample 3"
                + " is outside 0..9"), r.err());
    }
}
