package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stride.runner.api.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged checkpoints are refused with exit status 2 and a message naming the file and what is
 * wrong; {@code --resume auto} falls back to the previous good one. Python reads the format with
 * json and struct alone. A full disk during a save leaves earlier checkpoints intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptCheckpointIT {
    @TempDir
    static Path tmp;
    Path work;
    Path cfg;
    byte[] good;
    long headerLen;

    @BeforeAll
    void train() throws Exception {
        work = tmp.resolve("work");
        cfg = Configs.write(tmp, "job.conf", Configs.mlp(work, 640).replace("max-epochs = 1", "max-epochs = 2"));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
        good = Files.readAllBytes(work.resolve("epoch_2.safetensors"));
        headerLen = ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private Path damaged(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name + ".safetensors");
        Files.write(f, bytes);
        return f;
    }

    private void assertRefused(Path file, String... fragments) throws Exception {
        StrideCli.Result r = StrideCli.run(tmp, "inspect", file.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains(file.toString()), "names the file: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing: " + r.err());
        }
        assertFalse(r.all().contains("\tat "), r.all());
    }

    @Test
    void inspectPrintsVerifiedMetadataAsJson() throws Exception {
        StrideCli.Result r = StrideCli.run(tmp, "inspect", work.resolve("epoch_2.safetensors").toString());
        assertEquals(0, r.exit(), r.all());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(r.out().trim());
        assertEquals(Boolean.TRUE, json.get("verified"));
        @SuppressWarnings("unchecked")
        Map<String, String> meta = (Map<String, String>) json.get("metadata");
        assertEquals("2", meta.get("runner.epoch"));
        assertEquals("stride-checkpoint/1", meta.get("stride.format"));
        assertTrue(meta.get("stride.checksum").startsWith("crc32c:"));
        assertTrue(((Map<?, ?>) json.get("tensors")).containsKey("model.fc1.weight"));
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        for (int cut : new int[] {0, 5, 8, 20, (int) headerLen + 8, (int) headerLen + 100, good.length - 1}) {
            byte[] b = java.util.Arrays.copyOf(good, cut);
            assertRefused(damaged("cut" + cut, b), cut == 0 ? "fewer than the 8-byte" : "");
        }
        assertRefused(damaged("cut-data", java.util.Arrays.copyOf(good, good.length - 1)), "truncated");
    }

    @Test
    void aFlippedBitInTheHeaderOrTheDataIsFound() throws Exception {
        byte[] data = good.clone();
        data[good.length - 3] ^= 0x10;
        assertRefused(damaged("flip-data", data), "checksum does not match");
        String header = new String(good, 8, (int) headerLen, StandardCharsets.UTF_8);
        int at = 8 + header.indexOf("\"runner.epoch\":\"2\"") + "\"runner.epoch\":\"".length();
        byte[] head = good.clone();
        head[at] ^= 0x01; // "2" -> "3": still valid JSON, wrong position
        assertRefused(damaged("flip-header", head), "checksum does not match");
    }

    @Test
    void aHugeHeaderLengthOverlappingOffsetsAndForeignFilesAreRefused() throws Exception {
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertRefused(damaged("huge", huge), "header length");

        String header = new String(good, 8, (int) headerLen, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data_offsets\":\\[([1-9]\\d*),(\\d+)\\]").matcher(header);
        assertTrue(m.find());
        long begin = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        String shifted = "\"data_offsets\":[" + (begin - 4) + "," + (end - 4) + "]";
        String overlapping = header.substring(0, m.start()) + shifted
                + " ".repeat(m.group().length() - shifted.length()) + header.substring(m.end());
        byte[] h = overlapping.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(good.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(good, 8 + (int) headerLen, good.length - 8 - (int) headerLen);
        assertRefused(damaged("overlap", b.array()), "overlaps the one before");

        assertRefused(damaged("text", "# just a text file\n".getBytes(StandardCharsets.UTF_8)), "header length");
        assertRefused(damaged("empty", new byte[0]), "fewer than");
        assertRefused(tmp.resolve("missing.safetensors"), "does not exist");
    }

    @Test
    void resumingFromADamagedFileIsExit2AndAutoFallsBackToTheLastGoodOne() throws Exception {
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("epoch_1.safetensors", "epoch_2.safetensors", "last_checkpoint")) {
            Files.copy(work.resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] broken = Files.readAllBytes(copy.resolve("epoch_2.safetensors"));
        broken[broken.length / 2] ^= 1;
        Files.write(copy.resolve("epoch_2.safetensors"), broken);
        Files.setLastModifiedTime(copy.resolve("epoch_1.safetensors"), java.nio.file.attribute.FileTime.fromMillis(1000));

        StrideCli.Result direct = StrideCli.run(tmp, "train", cfg.toString(), "--work-dir", copy.toString(),
                "--resume", copy.resolve("epoch_2.safetensors").toString());
        assertEquals(2, direct.exit(), direct.all());
        assertTrue(direct.err().contains("epoch_2.safetensors cannot be used: its checksum does not match"), direct.err());

        StrideCli.Result auto = StrideCli.run(tmp, "train", cfg.toString(), "--work-dir", copy.toString(), "--resume", "auto");
        assertEquals(0, auto.exit(), auto.all());
        assertTrue(auto.out().contains("Skipped for resume"), auto.out());
        assertTrue(auto.out().contains("Resumed from " + copy.resolve("epoch_1.safetensors")), auto.out());
        assertEquals(List.of(), Tensors.differences(work.resolve("epoch_2.safetensors"), copy.resolve("epoch_2.safetensors")),
                "retraining epoch 2 from epoch 1 gives the same tensors");
    }

    @Test
    void pythonReadsTheFormatWithJsonAndStructAlone() throws Exception {
        assumeTrue(commandExists("python3"), "python3 is not installed");
        String script = """
                import json, struct, sys
                f = open(sys.argv[1], 'rb'); raw = f.read()
                n = struct.unpack('<Q', raw[:8])[0]
                header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
                meta = header.pop('__metadata__')
                end = 0
                for name, t in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
                    b, e = t['data_offsets']; assert b == end, name; end = e
                    size = {'F32': 4, 'F64': 8, 'I64': 8}[t['dtype']]
                    count = 1
                    for d in t['shape']: count *= d
                    assert e - b == count * size, name
                assert end == len(data)
                w = header['model.fc1.bias']; b, e = w['data_offsets']
                vals = struct.unpack('<%df' % ((e - b) // 4), data[b:e])
                print(meta['runner.epoch'], len(header), repr(sum(vals)))
                """;
        Path py = Configs.write(tmp, "read.py", script);
        Process p = new ProcessBuilder("python3", py.toString(), work.resolve("epoch_2.safetensors").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        float[] bias = Tensors.read(work.resolve("epoch_2.safetensors")).tensors().get("model.fc1.bias").toFloats();
        double sum = 0;
        for (float v : bias) {
            sum += v;
        }
        String[] parts = out.split(" ");
        assertEquals("2", parts[0]);
        assertEquals(8, Integer.parseInt(parts[1]), "fc1, fc2 weights and biases and their momentum buffers: " + out);
        assertEquals(sum, Double.parseDouble(parts[2]), 1e-9);
    }

    /**
     * A full disk during a save: the run stops with a clear error and exit 1, every checkpoint
     * written before stays intact and {@code last_checkpoint} names a good one. Needs root to
     * mount a small tmpfs; skipped otherwise.
     */
    @Test
    void aFullDiskLeavesEarlierCheckpointsIntact() throws Exception {
        Path mount = tmp.resolve("small");
        Files.createDirectories(mount);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            String conf = Configs.mlp(mount, 320).replace("max-epochs = 1", "max-epochs = 6")
                    .replace("hidden = [64]", "hidden = [48]");
            Path c = Configs.write(tmp, "full.conf", conf);
            StrideCli.Result r = StrideCli.run(tmp, "train", c.toString());
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.err().contains("the disk is full"), r.err());
            assertTrue(r.err().contains("Earlier checkpoints are intact"), r.err());
            String latest = Files.readString(mount.resolve("last_checkpoint")).trim();
            Tensors.read(mount.resolve(latest));
            List<Path> leftovers = new ArrayList<>();
            try (var s = Files.list(mount)) {
                s.filter(p -> p.getFileName().toString().contains(".tmp-")).forEach(leftovers::add);
            }
            assertEquals(List.of(), leftovers, "a failed write removes its temp file");
            try (var s = Files.list(mount)) {
                for (Path p : s.filter(x -> x.toString().endsWith(".safetensors")).toList()) {
                    Tensors.read(p);
                }
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static boolean commandExists(String name) {
        try {
            return run(name, "--version") == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
