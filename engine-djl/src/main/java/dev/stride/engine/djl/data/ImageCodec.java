package dev.stride.engine.djl.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads PNG and JPEG files: their size from the first bytes (header), their pixels by
 * {@link PngDecoder} for common PNGs and javax.imageio for the rest. Thread-safe: no shared state
 * (javax.imageio gets a new reader per image; the global ImageIO cache setting is not touched).
 */
final class ImageCodec {
    private ImageCodec() {}

    /** Format and size as a file's header states them. */
    record Header(String format, int width, int height, int channels) {}

    /** A file that is not a readable PNG or JPEG, and why. */
    static final class BadImage extends Exception {
        private static final long serialVersionUID = 1L;

        BadImage(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads the format and size from the start of {@code file} (a few bytes; a JPEG's markers up to its frame header). */
    static Header header(Path file) throws BadImage, IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(33);
            read(ch, head, 0);
            byte[] h = head.array();
            int n = head.position();
            if (n == 0) {
                throw new BadImage("it is empty (0 bytes)");
            }
            if (n >= 8 && PngDecoder.isPng(java.util.Arrays.copyOf(h, 8))) {
                if (n < 33 || PngDecoder.int32(h, 12) != 0x49484452) {
                    throw new BadImage("it is a truncated PNG file (" + size + " bytes, no complete IHDR chunk)");
                }
                int w = PngDecoder.int32(h, 16);
                int hh = PngDecoder.int32(h, 20);
                int type = h[25] & 0xff;
                if (w <= 0 || hh <= 0) {
                    throw new BadImage("its PNG header gives the size " + w + "x" + hh);
                }
                int channels = switch (type) {
                    case 0 -> 1;
                    case 2, 3 -> 3;
                    case 4 -> 2;
                    case 6 -> 4;
                    default -> throw new BadImage("its PNG colour type " + type + " is not one PNG defines");
                };
                return new Header("png", w, hh, channels);
            }
            if (n >= 3 && (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8 && (h[2] & 0xff) == 0xff) {
                return jpegHeader(ch, size);
            }
            throw new BadImage("it is neither a PNG nor a JPEG file (it starts with " + hex(h, Math.min(n, 8)) + ")");
        }
    }

    private static Header jpegHeader(FileChannel ch, long size) throws BadImage, IOException {
        long pos = 2;
        ByteBuffer b = ByteBuffer.allocate(10);
        while (true) {
            b.clear().limit(4);
            read(ch, b, pos);
            if (b.position() < 4) {
                throw new BadImage("it is a truncated JPEG file (" + size + " bytes, no frame header)");
            }
            int marker0 = b.get(0) & 0xff;
            int marker = b.get(1) & 0xff;
            if (marker0 != 0xff) {
                throw new BadImage("it is a corrupt JPEG file (no marker at byte " + pos + ")");
            }
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            int length = ((b.get(2) & 0xff) << 8) | (b.get(3) & 0xff);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                b.clear().limit(6);
                read(ch, b, pos + 4);
                if (b.position() < 6) {
                    throw new BadImage("it is a truncated JPEG file (" + size + " bytes, cut inside its frame header)");
                }
                int height = ((b.get(1) & 0xff) << 8) | (b.get(2) & 0xff);
                int width = ((b.get(3) & 0xff) << 8) | (b.get(4) & 0xff);
                int components = b.get(5) & 0xff;
                if (width == 0 || height == 0) {
                    throw new BadImage("its JPEG frame header gives the size " + width + "x" + height);
                }
                return new Header("jpeg", width, height, components == 1 ? 1 : 3);
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                throw new BadImage("it is a corrupt JPEG file (no frame header before its image data)");
            }
            pos += 2 + length;
        }
    }

    private static void read(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, at + b.position());
            if (r < 0) {
                return;
            }
        }
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b[i] & 0xff)).append(i + 1 < n ? " " : "");
        }
        return s.toString();
    }

    /** Decodes a whole file's bytes. */
    static Pixels decode(byte[] bytes) throws BadImage {
        if (PngDecoder.isPng(bytes)) {
            try {
                Pixels p = PngDecoder.decode(bytes);
                if (p != null) {
                    return p;
                }
            } catch (PngDecoder.CorruptImage e) {
                throw new BadImage(e.getMessage());
            }
        } else if (bytes.length < 3 || (bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != 0xd8) {
            throw new BadImage(bytes.length == 0 ? "it is empty (0 bytes)" : "it is neither a PNG nor a JPEG file");
        }
        return imageIo(bytes);
    }

    private static Pixels imageIo(byte[] bytes) throws BadImage {
        BufferedImage image;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadImage("no image reader of this Java knows its format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new BadImage("it cannot be decoded (" + e.getMessage() + ")");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        if ((long) w * h * 3 > PngDecoder.MAX_BYTES) {
            throw new BadImage("its size " + w + "x" + h + " is larger than Stride decodes");
        }
        Raster raster = image.getRaster();
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // grey samples as they are (getRGB would convert linear grey to sRGB), scaled to 8 bits
            int bits = image.getColorModel().getComponentSize(0);
            long max = (1L << bits) - 1;
            int[] s = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            byte[] out = new byte[w * h];
            for (int i = 0; i < s.length; i++) {
                out[i] = (byte) (bits == 8 ? s[i] : (s[i] * 255L + max / 2) / max);
            }
            return new Pixels(w, h, 1, out);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            out[i * 3] = (byte) (argb[i] >> 16);
            out[i * 3 + 1] = (byte) (argb[i] >> 8);
            out[i * 3 + 2] = (byte) argb[i];
        }
        return new Pixels(w, h, 3, out);
    }
}
