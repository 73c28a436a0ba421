package dev.stride.engine.djl.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.stride.runner.api.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a TorchScript file (the zip archive {@code torch.jit.save} writes) for training, without
 * any model zoo, and gives access to its buffers.
 *
 * <p>DJL exposes a TorchScript module's parameters ({@code named_parameters()}) but not its
 * buffers (BatchNorm's {@code running_mean}, {@code running_var}, {@code num_batches_tracked}),
 * which training updates and an exact resume needs. So before loading, this reads the archive's
 * serialized code (each module class lists its {@code __buffers__} and its submodules), and adds
 * to the top-level class one TorchScript method that returns every buffer:
 * {@code def __stride_buffers__(self) -> List[Tensor]: return [getattr(getattr(self, "bn1"),
 * "running_mean"), ...]}. The module is loaded from that archive; the method's result holds the
 * module's own buffer tensors (not copies), so reading and writing them in place reads and writes
 * the module's state. Their names are the {@code state_dict} names ({@code bn1.running_mean}).
 * A file whose code cannot be read this way is loaded as it is, with a warning that its buffers
 * are not saved.
 */
final class TorchScriptFile {
    private static final Logger LOG = LoggerFactory.getLogger(TorchScriptFile.class);
    static final String BUFFERS_METHOD = "__stride_buffers__";
    private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\((\\w+)\\):\\s*$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^  (\\w+) : (.+?)\\s*$");
    private static final Pattern ANNOTATION = Pattern.compile("^  __annotations__\\[\"([^\"]+)\"\\] = (.+?)\\s*$");
    private static final Pattern BUFFERS = Pattern.compile("^  __buffers__ = \\[(.*)\\]\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /** A loaded module and its buffers by state_dict name, in state_dict order. */
    record Loaded(PtSymbolBlock block, Map<String, NDArray> buffers, boolean traced) {}

    /** A module class of the archive's code: its base, attributes (name to type) and buffer names. */
    private record ModuleClass(String file, String name, String base, Map<String, String> attributes, List<String> buffers) {}

    private TorchScriptFile() {}

    /**
     * @param what names the file in messages, e.g. {@code "model torchscript: file x.pt"}
     * @throws BadInputException when the file is missing, not TorchScript, or PyTorch cannot load it
     */
    static Loaded load(Path file, PtNDManager manager, String what) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(what + " does not exist (looked for it at " + file.toAbsolutePath() + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(what + " cannot be read: " + e.getMessage(), e);
        }
        String expected = " A TorchScript file is the zip archive that torch.jit.script(model).save(path) or"
                + " torch.jit.trace(model, example).save(path) writes.";
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4) {
            throw new BadInputException(what + " is not a TorchScript file: " + describe(bytes) + "." + expected);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (ZipException e) {
            throw new BadInputException(what + " is a damaged or truncated zip archive (" + e.getMessage() + "), not a"
                    + " whole TorchScript file." + expected);
        } catch (IOException e) {
            throw new BadInputException(what + " cannot be read: " + e.getMessage(), e);
        }
        String root = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9)
                .map(n -> n.substring(0, n.length() - "data.pkl".length())).findFirst().orElse(null);
        if (root == null) {
            throw new BadInputException(what + " is a zip archive, but not one PyTorch wrote (it has no data.pkl)." + expected);
        }
        String r = root;
        if (entries.keySet().stream().noneMatch(n -> n.startsWith(r + "code/"))) {
            throw new BadInputException(what + " was saved with torch.save (a pickled state_dict or module), which holds"
                    + " no TorchScript code." + expected + " To bring a state_dict's weights into a TorchScript model, convert"
                    + " it with examples/torchscript/state_dict_to_safetensors.py and use load-from.");
        }
        boolean traced = entries.entrySet().stream().filter(e -> e.getKey().endsWith(".py"))
                .noneMatch(e -> new String(e.getValue(), StandardCharsets.UTF_8).contains("self.training"));
        Map<String, String> buffers;
        String topType;
        Map<String, ModuleClass> classes;
        try {
            topType = topType(entries.get(root + "data.pkl"));
            classes = classes(entries, root);
            buffers = new LinkedHashMap<>();
            walk(classes, topType, "", List.of(), buffers, 0);
        } catch (RuntimeException e) {
            LOG.warn("{}: its code could not be read ({}); it is loaded as it is, and buffers such as BatchNorm statistics,"
                    + " if it has any, are not saved in checkpoints", what, e.getMessage());
            return new Loaded(loadPlain(file, manager, what), Map.of(), traced);
        }
        if (buffers.isEmpty()) {
            return new Loaded(loadPlain(file, manager, what), Map.of(), traced);
        }
        List<String> names = new ArrayList<>(buffers.keySet());
        List<String> accessors = new ArrayList<>(buffers.values());
        ModuleClass top = classes.get(topType);
        PtSymbolBlock block;
        try {
            byte[] patched = patch(entries, root, top, topType, accessors);
            block = JniUtils.loadModule(manager, new ByteArrayInputStream(patched), true, false);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: its buffers {} cannot be reached ({}); it is loaded as it is, and they are not saved in"
                    + " checkpoints (a resumed run recomputes them)", what, names, Djl.reason(e));
            return new Loaded(loadPlain(file, manager, what), Map.of(), traced);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (IValue list = IValueUtils.runMethod(block, BUFFERS_METHOD)) {
            PtNDArray[] arrays = list.toTensorArray(manager);
            for (int i = 0; i < arrays.length; i++) {
                out.put(names.get(i), arrays[i]);
            }
        }
        JniUtils.enableTrainingMode(block);
        return new Loaded(block, out, traced);
    }

    private static PtSymbolBlock loadPlain(Path file, PtNDManager manager, String what) {
        try {
            PtSymbolBlock block = JniUtils.loadModule(manager, file.toAbsolutePath(), true, new String[0], new String[0], true);
            // the native module is in eval mode after loading while DJL believes it trains: align them
            JniUtils.enableTrainingMode(block);
            return block;
        } catch (EngineException e) {
            throw new BadInputException(what + " could not be loaded by PyTorch " + "(libtorch of DJL's PyTorch engine): "
                    + Djl.reason(e), e);
        }
    }

    /** What a file that is not a zip archive looks like, from its first bytes. */
    private static String describe(byte[] b) {
        if (b.length == 0) {
            return "it is empty";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "it is a PNG image";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return "it is a JPEG image";
        }
        if ((b[0] & 0xff) == 0x80 && b.length > 1 && b[1] >= 2 && b[1] <= 5) {
            return "it is a Python pickle (torch.save's legacy format, or pickle.dump)";
        }
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K') {
            return "it is a zip archive with a damaged header";
        }
        int n = Math.min(b.length, 16);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hex.append(String.format("%02x", b[i] & 0xff));
        }
        return "its first bytes are " + hex + " (a zip archive starts with 504b0304)";
    }

    /** The qualified type of the pickled top-level object: data.pkl starts with PROTO 2, then GLOBAL 'module\nname\n'. */
    static String topType(byte[] pkl) {
        if (pkl.length < 4 || (pkl[0] & 0xff) != 0x80 || pkl[2] != 'c') {
            throw new IllegalArgumentException("data.pkl does not start with a class");
        }
        int i = 3;
        int a = indexOf(pkl, i, (byte) '\n');
        int b = indexOf(pkl, a + 1, (byte) '\n');
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("data.pkl's first class is cut off");
        }
        return new String(pkl, i, a - i, StandardCharsets.UTF_8) + "." + new String(pkl, a + 1, b - a - 1, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, int from, byte x) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** Every class of the archive's code, by qualified name ({@code code/__torch__/a/b.py}'s {@code class C} is {@code __torch__.a.b.C}). */
    private static Map<String, ModuleClass> classes(Map<String, byte[]> entries, String root) {
        Map<String, ModuleClass> out = new HashMap<>();
        entries.forEach((name, data) -> {
            if (!name.startsWith(root + "code/") || !name.endsWith(".py")) {
                return;
            }
            String module = name.substring((root + "code/").length(), name.length() - 3).replace('/', '.');
            String cls = null;
            String base = null;
            Map<String, String> attributes = new LinkedHashMap<>();
            List<String> buffers = new ArrayList<>();
            for (String line : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
                Matcher c = CLASS.matcher(line);
                if (c.matches()) {
                    if (cls != null) {
                        out.put(module + "." + cls, new ModuleClass(name, cls, base, attributes, buffers));
                    }
                    cls = c.group(1);
                    base = c.group(2);
                    attributes = new LinkedHashMap<>();
                    buffers = new ArrayList<>();
                    continue;
                }
                if (cls == null) {
                    continue;
                }
                Matcher bm = BUFFERS.matcher(line);
                Matcher am = ATTRIBUTE.matcher(line);
                Matcher an = ANNOTATION.matcher(line);
                if (bm.matches()) {
                    Matcher q = QUOTED.matcher(bm.group(1));
                    while (q.find()) {
                        buffers.add(q.group(1));
                    }
                } else if (an.matches()) {
                    attributes.put(an.group(1), an.group(2));
                } else if (am.matches()) {
                    attributes.put(am.group(1), am.group(2));
                }
            }
            if (cls != null) {
                out.put(module + "." + cls, new ModuleClass(name, cls, base, attributes, buffers));
            }
        });
        return out;
    }

    /**
     * Collects the buffers of the module of {@code type} at {@code prefix} and of its submodules,
     * in state_dict order (a module's own buffers, then each submodule's): state_dict name to
     * TorchScript accessor expression.
     */
    private static void walk(Map<String, ModuleClass> classes, String type, String prefix, List<String> path,
            Map<String, String> out, int depth) {
        ModuleClass c = classes.get(type);
        if (c == null) {
            throw new IllegalArgumentException("no class " + type + " in the archive's code");
        }
        if (depth > 64) {
            throw new IllegalArgumentException("modules nested more than 64 deep");
        }
        for (String b : c.buffers()) {
            if ("Tensor".equals(c.attributes().get(b))) {
                List<String> p = new ArrayList<>(path);
                p.add(b);
                out.put(prefix + b, accessor(p));
            }
        }
        c.attributes().forEach((attr, t) -> {
            ModuleClass sub = classes.get(t);
            if (sub != null && "Module".equals(sub.base())) {
                List<String> p = new ArrayList<>(path);
                p.add(attr);
                walk(classes, t, prefix + attr + ".", p, out, depth + 1);
            }
        });
    }

    private static String accessor(List<String> path) {
        String e = "self";
        for (String a : path) {
            e = "getattr(" + e + ", \"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\")";
        }
        return e;
    }

    /** The archive with the buffers method added to the top-level class (its debug info left out), as stored entries. */
    private static byte[] patch(Map<String, byte[]> entries, String root, ModuleClass top, String topType,
            List<String> accessors) throws IOException {
        StringBuilder method = new StringBuilder();
        method.append("  def ").append(BUFFERS_METHOD).append("(self: ").append(topType).append(") -> List[Tensor]:\n");
        for (int i = 0; i < accessors.size(); i++) {
            method.append("    _stride_b").append(i).append(" = ").append(accessors.get(i)).append('\n');
        }
        method.append("    return [");
        for (int i = 0; i < accessors.size(); i++) {
            method.append(i == 0 ? "" : ", ").append("_stride_b").append(i);
        }
        method.append("]\n");
        String code = new String(entries.get(top.file()), StandardCharsets.UTF_8);
        String patched = insertIntoClass(code, top.name(), method.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] data = e.getValue();
                if (e.getKey().equals(top.file() + ".debug_pkl")) {
                    continue; // its source ranges are those of the code before the method was added
                }
                if (e.getKey().equals(top.file())) {
                    data = patched.getBytes(StandardCharsets.UTF_8);
                }
                ZipEntry out = new ZipEntry(e.getKey());
                out.setMethod(ZipEntry.STORED);
                out.setSize(data.length);
                out.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                out.setCrc(crc.getValue());
                zip.putNextEntry(out);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** {@code code} with {@code method} appended to the body of {@code class name}. */
    static String insertIntoClass(String code, String name, String method) {
        List<String> lines = new ArrayList<>(List.of(code.split("\n", -1)));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("class " + name + "(")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException("class " + name + " not found in its file");
        }
        int end = lines.size();
        for (int i = start + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0))) {
                end = i;
                break;
            }
        }
        while (end > start + 1 && lines.get(end - 1).isBlank()) {
            end--;
        }
        lines.add(end, method.endsWith("\n") ? method.substring(0, method.length() - 1) : method);
        return String.join("\n", lines);
    }
}
