package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.app.it.StrideCli;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, "Messages": each says what is wrong and where, in text a terminal shows as it is. Real {@code stride} processes. */
class MessagesIT {
    @TempDir
    Path tmp;

    private static void assertUserError(StrideCli.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat "), "no stack trace:\n" + r.all());
        assertFalse(r.all().chars().anyMatch(c -> c == 0x1b || c == 0x9b || c == 0x202e), "no raw escape:\n" + r.all());
    }

    /** A safetensors file with this JSON header (padded) and {@code data} bytes. */
    private Path raw(String name, String header, int data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = tmp.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void controlCharactersAndAnsiEscapesFromACheckpointArePrintedEscaped() throws Exception {
        Path dtype = raw("dtype.safetensors", "{\"w\":{\"dtype\":\"F32\\u001b[31m\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertUserError(StrideCli.run(tmp, "inspect", dtype.toString()), "unknown dtype F32\\u001b[31m");

        // a plain safetensors file (no Stride metadata) whose tensor names carry escapes, loaded strictly
        Checkpoint foreign = new Checkpoint();
        foreign.putTensor("\u001b[2Jevil\u202e", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        Path file = tmp.resolve("foreign.safetensors");
        CheckpointFiles.write(file, foreign);
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(tmp.resolve("work"), 1, ""));
        assertUserError(StrideCli.run(tmp, "train", cfg.toString(), "--load-from", file.toString()),
                "the model has no [\\u001b[2Jevil\\u202e]");
        StrideCli.Result inspect = StrideCli.run(tmp, "inspect", file.toString());
        assertEquals(0, inspect.exit(), inspect.all());
        assertTrue(inspect.out().contains("\"\\u001b[2Jevil\\u202e\""), "the JSON escapes the name:\n" + inspect.out());
        assertFalse(inspect.out().chars().anyMatch(c -> c == 0x1b || c == 0x202e), inspect.out());
    }

    @Test
    void anOverflowingShapeIsNamedAsSuchNotAsMinusOneBytes() throws Exception {
        Path f = raw("huge.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8);
        StrideCli.Result r = StrideCli.run(tmp, "inspect", f.toString());
        assertUserError(r, "tensor \"w\" of F32 shape [4611686018427387904, 4] has more than 2^63 bytes");
        assertFalse(r.err().contains("-1 bytes"), r.err());
    }

    @Test
    void aSetValueWithCommasIsNamedWhole() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 1, ""));
        String set = "data.train={size: 160, batch-size: 500, drop-last: true}";
        assertUserError(StrideCli.run(tmp, "train", cfg.toString(), "--set", set),
                "--set " + set + ": data.train: 160 samples in batches of 500");
    }

    @Test
    void checkpointMismatchesNameTheOptionAndTheFile() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Jobs.write(tmp, "job.conf", Jobs.synthetic(work, 1, "{ type = checkpoint, interval = 1 }"));
        assertEquals(0, StrideCli.run(tmp, "train", cfg.toString()).exit());
        Path epoch1 = work.resolve("epoch_1.safetensors");

        StrideCli.Result test = StrideCli.run(tmp, "test", cfg.toString(), "--checkpoint", epoch1.toString(),
                "--set", "model.hidden=[16]", "--out", tmp.resolve("test").toString());
        assertUserError(test, "--checkpoint " + epoch1 + ": tensor shapes differ from the model's");
        assertFalse(test.err().contains("load-from"), test.err());

        StrideCli.Result resume = StrideCli.run(tmp, "train", cfg.toString(), "--resume", epoch1.toString(),
                "--set", "model.hidden=[16]", "--set", "runner.max-epochs=2");
        assertUserError(resume, "cannot resume from " + epoch1 + ": tensor 'model.", "in the checkpoint but");
    }
}
