package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model side's bad input through the real command line: a file that is not TorchScript, a
 * model that does not take the data's samples, a model with fewer classes than the data's labels.
 * Each ends with exit status 2 and a message naming the file and what is wrong, no stack trace,
 * and leaves the disk as it was (a work dir with checkpoints keeps them, byte for byte).
 */
class ModelErrorsIT {
    @TempDir
    Path tmp;

    private static void assertUserError(StrideCli.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat "), "no stack trace for a user mistake:\n" + r.all());
    }

    private String job(Path work, String model) {
        return Configs.mlp(work, 256).replace("model { type = mlp, hidden = [64] }", "model " + model);
    }

    private StrideCli.Result train(String conf, String... extra) throws Exception {
        Path cfg = Configs.write(tmp, "job.conf", conf);
        String[] args = new String[extra.length + 2];
        args[0] = "train";
        args[1] = cfg.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return StrideCli.run(tmp, args);
    }

    private static Path firstPng() throws Exception {
        try (Stream<Path> s = Files.list(StrideCli.repo().resolve("data/mnist-png/train/3"))) {
            return s.sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsNamedAndNothingIsWritten() throws Exception {
        Path work = tmp.resolve("work");
        Path png = firstPng();
        StrideCli.Result r = train(job(work, "{ type = torchscript, file = \"" + png + "\" }"));
        assertUserError(r, "job.conf:5", "model torchscript: file " + png, "is not a TorchScript file: it is a PNG image",
                "torch.jit.script(model).save(path)");
        assertFalse(Files.exists(work), "nothing is written");

        Path pickle = Files.write(tmp.resolve("state_dict.pt"), new byte[] {(byte) 0x80, 2, 'c', 'x', '\n'});
        assertUserError(train(job(work, "{ type = torchscript, file = \"" + pickle + "\" }")), "is not a TorchScript file:"
                + " it is a Python pickle");
    }

    @Test
    void aModelThatDoesNotTakeTheSamplesNamesBothShapes() throws Exception {
        Path work = tmp.resolve("work");
        String tabular = StrideCli.repo().resolve("examples/torchscript/tabular_mlp.pt").toString();
        StrideCli.Result r = train(job(work, "{ type = torchscript, file = \"" + tabular + "\" }"));
        assertUserError(r, "tabular_mlp.pt", "does not take samples of shape [1, 28, 28]",
                "mat1 and mat2 shapes cannot be multiplied (56x28 and 4x32)", "set input-shape");
        assertFalse(Files.exists(work), "nothing is written");

        StrideCli.Result seq = train(job(work, "{ type = sequential, layers = [{ type = conv2d, filters = 4, kernel = 3 },"
                + " { type = flatten }, { type = conv2d, filters = 2, kernel = 3 }, { type = linear }] }"));
        assertUserError(seq, "job.conf:5", "layers[2] (conv2d): takes images [N, channels, height, width], gets [N, 2704]");
    }

    @Test
    void aModelWithFewerClassesThanTheLabelsIsRefusedAndCheckpointsStay() throws Exception {
        Path work = tmp.resolve("work");
        StrideCli.Result ok = train(Configs.mlp(work, 64));
        assertEquals(0, ok.exit(), ok.all());
        byte[] before = Files.readAllBytes(work.resolve("epoch_1.safetensors"));
        String last = Files.readString(work.resolve("last_checkpoint"));

        StrideCli.Result r = train(job(work, "{ type = sequential, num-classes = 5, layers = [{ type = flatten },"
                + " { type = linear }] }"), "--resume", "auto");
        assertUserError(r, "model: it outputs 5 classes (labels 0..4)", "has 10 classes (labels up to 9)");
        assertArrayEquals(before, Files.readAllBytes(work.resolve("epoch_1.safetensors")), "the checkpoint is untouched");
        assertEquals(last, Files.readString(work.resolve("last_checkpoint")));

        StrideCli.Result bad = train(job(work, "{ type = torchscript, file = \"" + firstPng() + "\" }"), "--resume", "auto");
        assertUserError(bad, "is not a TorchScript file");
        assertArrayEquals(before, Files.readAllBytes(work.resolve("epoch_1.safetensors")), "the checkpoint is untouched");
    }
}
