package dev.stride.engine.djl.data;

import dev.stride.runner.api.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A NumPy array read from a {@code .npy} file or an entry of a {@code .npz} archive (format
 * versions 1 to 3): booleans, signed and unsigned integers and floats of either byte order, in C
 * order. The header's shape is checked against the bytes there are before anything is
 * allocated, and every problem names the file and what is wrong.
 *
 * @param source the file, or {@code archive.npz:key}
 * @param kind the dtype's kind: {@code b} bool, {@code i} signed, {@code u} unsigned, {@code f} float
 * @param itemSize bytes per element
 * @param shape the array's shape
 * @param data the elements, in the file's byte order
 */
record NpyArray(String source, char kind, int itemSize, long[] shape, ByteBuffer data) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** At most 2^28 elements and 2^31 - 16 bytes in one array. */
    static final long MAX_ELEMENTS = 1L << 28;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    /** Elements in the array. */
    long count() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The dtype as NumPy names it. */
    String dtype() {
        return switch (kind) {
            case 'b' -> "bool";
            case 'i' -> "int" + itemSize * 8;
            case 'u' -> "uint" + itemSize * 8;
            default -> "float" + itemSize * 8;
        };
    }

    /** Element {@code i} as a double. */
    double get(long i) {
        int at = Math.toIntExact(i * itemSize);
        return switch (kind) {
            case 'b' -> data.get(at) != 0 ? 1 : 0;
            case 'i' -> switch (itemSize) {
                case 1 -> data.get(at);
                case 2 -> data.getShort(at);
                case 4 -> data.getInt(at);
                default -> data.getLong(at);
            };
            case 'u' -> switch (itemSize) {
                case 1 -> data.get(at) & 0xff;
                case 2 -> data.getShort(at) & 0xffff;
                case 4 -> data.getInt(at) & 0xffffffffL;
                default -> throw new IllegalStateException();
            };
            default -> itemSize == 4 ? data.getFloat(at) : data.getDouble(at);
        };
    }

    /** Element {@code i} of an integer array, exactly. */
    long getLong(long i) {
        int at = Math.toIntExact(i * itemSize);
        return switch (kind) {
            case 'b' -> data.get(at) != 0 ? 1 : 0;
            case 'i' -> itemSize == 8 ? data.getLong(at) : (long) get(i);
            case 'u' -> (long) get(i);
            default -> throw new IllegalStateException("not integers");
        };
    }

    /** Reads a {@code .npy} file. */
    static NpyArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return parse(file.toString(), in, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException("data file " + file + " does not exist (looked for it at " + file.toAbsolutePath() + ")");
        } catch (IOException e) {
            throw new BadInputException("data file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Reads array {@code key} ({@code key.npy} in the archive) of a {@code .npz} file. */
    static NpyArray readNpz(Path file, String key) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(key + ".npy");
            if (e == null) {
                List<String> keys = new ArrayList<>();
                Collections.list(zip.entries()).forEach(z -> keys.add(z.getName().replaceFirst("\\.npy$", "")));
                throw new BadInputException("data file " + file + " holds no array '" + key + "'"
                        + dev.stride.runner.api.support.Settings.didYouMean(key, keys) + "; its arrays are " + keys);
            }
            try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
                return parse(file + ":" + key, in, e.getSize());
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new BadInputException("data file " + file + " does not exist (looked for it at " + file.toAbsolutePath() + ")");
        } catch (ZipException e) {
            throw new BadInputException("data file " + file + " is not a readable .npz (zip) archive: " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("data file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Parses an array from {@code in}.
     *
     * @param size the bytes {@code in} holds, or -1 when unknown
     */
    static NpyArray parse(String source, InputStream in, long size) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new BadInputException("data file " + source + " is not a NumPy .npy array: it does not start with \\x93NUMPY"
                    + (magic.length == 0 ? " (it is empty)" : ""));
        }
        int major = magic[6] & 0xff;
        if (major < 1 || major > 3) {
            throw new BadInputException("data file " + source + " is a .npy file of format version " + major + "." + (magic[7] & 0xff)
                    + "; Stride reads versions 1 to 3");
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length < (major == 1 ? 2 : 4)) {
            throw new BadInputException("data file " + source + " is truncated inside its header");
        }
        long headerLength = (len[0] & 0xff) | (len[1] & 0xff) << 8;
        if (major > 1) {
            headerLength |= (long) (len[2] & 0xff) << 16 | (long) (len[3] & 0xff) << 24;
        }
        if (headerLength > 1 << 20) {
            throw new BadInputException("data file " + source + " has a header of " + headerLength + " bytes; it is not a .npy file");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new BadInputException("data file " + source + " is truncated inside its header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        String descr = entry(source, header, "descr");
        String fortran = entry(source, header, "fortran_order");
        String shapeText = entry(source, header, "shape");
        if (!descr.startsWith("'") && !descr.startsWith("\"")) {
            throw new BadInputException("data file " + source + " holds a structured array (dtype " + descr + "); Stride reads plain"
                    + " arrays of numbers: save each field as its own array");
        }
        String type = descr.substring(1, descr.length() - 1);
        if (!fortran.equals("False")) {
            throw new BadInputException("data file " + source + " is stored in Fortran (column-major) order; save it in C order:"
                    + " np.save(path, np.ascontiguousarray(a))");
        }
        if (type.length() < 3) {
            throw new BadInputException("data file " + source + " has the dtype '" + type + "', which is not one NumPy writes");
        }
        char order = type.charAt(0);
        char kind = type.charAt(1);
        int item;
        try {
            item = Integer.parseInt(type.substring(2));
        } catch (NumberFormatException e) {
            item = -1;
        }
        boolean known = switch (kind) {
            case 'b' -> item == 1;
            case 'i' -> item == 1 || item == 2 || item == 4 || item == 8;
            case 'u' -> item == 1 || item == 2 || item == 4;
            case 'f' -> item == 4 || item == 8;
            default -> false;
        };
        if (!known || (order != '<' && order != '>' && order != '|' && order != '=')) {
            throw new BadInputException("data file " + source + " has the dtype '" + type + "'; Stride reads bool, int8/16/32/64,"
                    + " uint8/16/32 and float32/64 arrays: convert it, e.g. a.astype(np.float32)");
        }
        long[] shape = shape(source, shapeText);
        long count = 1;
        for (long d : shape) {
            count *= d;
            if (count > MAX_ELEMENTS) {
                throw new BadInputException("data file " + source + " holds an array of shape " + Arrays.toString(shape)
                        + ", more than the " + MAX_ELEMENTS + " elements Stride reads into memory");
            }
        }
        long bytes = count * item;
        if (bytes > MAX_BYTES) {
            throw new BadInputException("data file " + source + " holds " + bytes + " bytes of data, more than Stride reads into memory");
        }
        long preamble = 8 + (major == 1 ? 2 : 4) + headerLength;
        if (size >= 0 && size - preamble < bytes) {
            throw new BadInputException("data file " + source + " is truncated: its header promises " + dtypeName(kind, item) + " "
                    + Arrays.toString(shape) + " = " + bytes + " bytes of data, but it has " + Math.max(0, size - preamble));
        }
        byte[] data = new byte[(int) bytes];
        int got = in.readNBytes(data, 0, data.length);
        if (got < data.length) {
            throw new BadInputException("data file " + source + " is truncated: its header promises " + dtypeName(kind, item) + " "
                    + Arrays.toString(shape) + " = " + bytes + " bytes of data, but it has " + got);
        }
        if (in.read() != -1) {
            throw new BadInputException("data file " + source + " has bytes after the " + bytes + " its header promises for "
                    + dtypeName(kind, item) + " " + Arrays.toString(shape));
        }
        ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : order == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
        return new NpyArray(source, kind, item, shape, ByteBuffer.wrap(data).order(bo));
    }

    private static String dtypeName(char kind, int item) {
        return new NpyArray("", kind, item, new long[0], ByteBuffer.allocate(0)).dtype();
    }

    /** The text of one value of the header's Python dict literal. */
    private static String entry(String source, String header, String key) {
        int k = header.indexOf("'" + key + "'");
        if (k < 0) {
            k = header.indexOf("\"" + key + "\"");
        }
        if (!header.startsWith("{") || k < 0) {
            throw new BadInputException("data file " + source + " has a .npy header without '" + key + "': " + abbreviate(header));
        }
        int colon = header.indexOf(':', k + key.length() + 2);
        if (colon < 0) {
            throw new BadInputException("data file " + source + " has a malformed .npy header: " + abbreviate(header));
        }
        int i = colon + 1;
        while (i < header.length() && header.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        int depth = 0;
        char quote = 0;
        for (; i < header.length(); i++) {
            char c = header.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        return header.substring(start, i).trim();
    }

    private static long[] shape(String source, String text) {
        if (!text.startsWith("(") || !text.endsWith(")")) {
            throw new BadInputException("data file " + source + " has a malformed shape " + text + " in its header");
        }
        String inner = text.substring(1, text.length() - 1).trim();
        if (inner.isEmpty()) {
            return new long[0];
        }
        List<Long> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String p = part.trim().replaceFirst("L$", "");
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new BadInputException("data file " + source + " has a malformed shape " + text + " in its header");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
