package dev.stride.engine.djl.data;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A fast decoder for the common PNG files: 8 bits per sample, not interlaced, grey, grey and
 * alpha, RGB, RGBA or palette. Several times faster than javax.imageio on small images (it
 * inflates straight into one buffer and undoes the row filters in place); other PNG files (16
 * bits, fewer than 8, Adam7 interlacing) are left to javax.imageio. Thread-safe: no state.
 */
final class PngDecoder {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504c5445;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454e44;

    /** At most 2^28 decoded bytes (256 MB) per image. */
    static final long MAX_BYTES = 1L << 28;

    private PngDecoder() {}

    /** A PNG file that cannot be decoded: what is wrong with it. */
    static final class CorruptImage extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptImage(String message) {
            super(message, null, false, false);
        }
    }

    static boolean isPng(byte[] f) {
        if (f.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (f[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /**
     * Decodes {@code f}, a whole PNG file.
     *
     * @return the pixels, or {@code null} when the file is a valid PNG of a kind this decoder
     *     leaves to javax.imageio
     * @throws CorruptImage when the file is damaged
     */
    static Pixels decode(byte[] f) throws CorruptImage {
        if (!isPng(f)) {
            throw new CorruptImage("it does not start with the PNG signature");
        }
        int p = SIGNATURE.length;
        int width = 0;
        int height = 0;
        int channels = 0;
        int type = -1;
        byte[] palette = null;
        byte[] raw = null;
        int stride = 0;
        int got = 0;
        boolean ended = false;
        Inflater inflater = null;
        try {
            while (!ended) {
                if (p + 8 > f.length) {
                    throw new CorruptImage("it is truncated (" + f.length + " bytes, no IEND chunk)");
                }
                long length = int32(f, p) & 0xffffffffL;
                int chunk = int32(f, p + 4);
                int data = p + 8;
                if (length > f.length - data) {
                    throw new CorruptImage("it is truncated: a chunk of " + length + " bytes at byte " + p + " ends past the file's "
                            + f.length + " bytes");
                }
                int len = (int) length;
                if (p == SIGNATURE.length && chunk != IHDR) {
                    throw new CorruptImage("its first chunk is not IHDR");
                }
                switch (chunk) {
                    case IHDR -> {
                        if (len < 13) {
                            throw new CorruptImage("its IHDR chunk is too short");
                        }
                        width = int32(f, data);
                        height = int32(f, data + 4);
                        int depth = f[data + 8] & 0xff;
                        type = f[data + 9] & 0xff;
                        int interlace = f[data + 12] & 0xff;
                        if (width <= 0 || height <= 0) {
                            throw new CorruptImage("its size " + width + "x" + height + " is not positive");
                        }
                        channels = switch (type) {
                            case 0 -> 1;
                            case 2 -> 3;
                            case 3 -> 1;
                            case 4 -> 2;
                            case 6 -> 4;
                            default -> throw new CorruptImage("its colour type " + type + " is not one PNG defines");
                        };
                        if (depth != 8 || interlace != 0) {
                            return null;
                        }
                        stride = width * channels;
                        long rawBytes = ((long) stride + 1) * height;
                        if (rawBytes > MAX_BYTES) {
                            throw new CorruptImage("its size " + width + "x" + height + " is larger than Stride decodes ("
                                    + MAX_BYTES + " bytes)");
                        }
                        raw = new byte[(int) rawBytes];
                        inflater = new Inflater();
                    }
                    case PLTE -> {
                        palette = new byte[768];
                        System.arraycopy(f, data, palette, 0, Math.min(len, 768));
                    }
                    case IDAT -> {
                        if (raw == null) {
                            throw new CorruptImage("it has image data before its header");
                        }
                        inflater.setInput(f, data, len);
                        while (!inflater.needsInput() && !inflater.finished()) {
                            if (got < raw.length) {
                                got += inflater.inflate(raw, got, raw.length - got);
                            } else {
                                // read on to the end of the stream so that zlib checks its checksum
                                if (inflater.inflate(new byte[64]) > 0) {
                                    throw new CorruptImage("it holds more image data than its size " + width + "x" + height);
                                }
                            }
                            if (inflater.needsDictionary()) {
                                throw new CorruptImage("its compressed data asks for a dictionary");
                            }
                        }
                    }
                    case IEND -> ended = true;
                    default -> {
                        // ancillary chunks (gAMA, tRNS, tEXt ...) are not needed
                    }
                }
                p = data + len + 4; // skip the CRC
            }
        } catch (DataFormatException e) {
            throw new CorruptImage("its compressed image data is corrupt (" + e.getMessage() + ")");
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
        if (raw == null) {
            throw new CorruptImage("it has no IHDR chunk");
        }
        if (got < raw.length) {
            throw new CorruptImage("its image data is truncated: " + got + " of " + raw.length + " bytes");
        }
        if (type == 3 && palette == null) {
            throw new CorruptImage("it is a palette image without a palette (PLTE)");
        }
        byte[] px = unfilter(raw, stride, height, channels);
        if (type == 3) {
            byte[] rgb = new byte[width * height * 3];
            for (int i = 0; i < px.length; i++) {
                int k = (px[i] & 0xff) * 3;
                rgb[i * 3] = palette[k];
                rgb[i * 3 + 1] = palette[k + 1];
                rgb[i * 3 + 2] = palette[k + 2];
            }
            return new Pixels(width, height, 3, rgb);
        }
        return new Pixels(width, height, channels, px);
    }

    private static byte[] unfilter(byte[] raw, int stride, int height, int bpp) throws CorruptImage {
        byte[] out = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int filter = raw[y * (stride + 1)];
            int in = y * (stride + 1) + 1;
            int row = y * stride;
            int up = row - stride;
            switch (filter) {
                case 0 -> System.arraycopy(raw, in, out, row, stride);
                case 1 -> {
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[row + x - bpp] : 0;
                        out[row + x] = (byte) (raw[in + x] + a);
                    }
                }
                case 2 -> {
                    for (int x = 0; x < stride; x++) {
                        int b = y > 0 ? out[up + x] : 0;
                        out[row + x] = (byte) (raw[in + x] + b);
                    }
                }
                case 3 -> {
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[row + x - bpp] & 0xff : 0;
                        int b = y > 0 ? out[up + x] & 0xff : 0;
                        out[row + x] = (byte) (raw[in + x] + ((a + b) >>> 1));
                    }
                }
                case 4 -> {
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[row + x - bpp] & 0xff : 0;
                        int b = y > 0 ? out[up + x] & 0xff : 0;
                        int c = x >= bpp && y > 0 ? out[up + x - bpp] & 0xff : 0;
                        int pa = Math.abs(b - c);
                        int pb = Math.abs(a - c);
                        int pc = Math.abs(a + b - 2 * c);
                        int pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                        out[row + x] = (byte) (raw[in + x] + pred);
                    }
                }
                default -> throw new CorruptImage("row " + y + " has the unknown filter type " + (filter & 0xff));
            }
        }
        return out;
    }
}
