package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.DjlModel;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.internal.Json;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.engine.djl.optim.SgdProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code torchscript} model: PyTorch's names and outputs, BatchNorm buffers that train and
 * round-trip through checkpoints, freezing, and the user's mistakes named.
 */
class TorchScriptModelTest {
    static final Path DIR = Path.of("../examples/torchscript");
    private static final DataSpec MNIST = new DataSpec(new long[] {1, 28, 28}, 10);

    @TempDir
    Path tmp;

    static DjlModel model(String options, DataSpec data) {
        TorchScriptProvider p = new TorchScriptProvider();
        return (DjlModel) p.create(ConfigFactory.parseString(options)
                .withFallback(ProviderRegistry.defaults(ProviderKind.MODEL, p)), data, 1);
    }

    static DjlModel model(String file) {
        return model("file = \"" + DIR.resolve(file) + "\"", MNIST);
    }

    /** The export script's check input: x[i] = (i % 17) / 16 over the flattened sample. */
    private static DjlBatch checkBatch(int n, long label) {
        NDManager m = Djl.manager().newSubManager();
        float[] x = new float[784 * n];
        for (int i = 0; i < 784; i++) {
            for (int b = 0; b < n; b++) {
                x[b * 784 + i] = (i % 17) / 16f;
            }
        }
        long[] y = new long[n];
        java.util.Arrays.fill(y, label);
        return new DjlBatch(m, m.create(x, new Shape(n, 1, 28, 28)), m.create(y), n);
    }

    private static DjlBatch randomBatch(int n, long seed) {
        Random r = new Random(seed);
        NDManager m = Djl.manager().newSubManager();
        float[] x = new float[784 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        return new DjlBatch(m, m.create(x, new Shape(n, 1, 28, 28)), m.create(y), n);
    }

    @SuppressWarnings("unchecked")
    private static float[] expected(String json) throws Exception {
        Map<String, Object> info = (Map<String, Object>) Json.parse(Files.readString(DIR.resolve(json)));
        List<Object> out = (List<Object>) ((Map<String, Object>) info.get("check")).get("output");
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) out.get(i)).floatValue();
        }
        return f;
    }

    @Test
    void namesAreTheStateDictsAndTheOutputIsPyTorchs() throws Exception {
        for (String name : List.of("mnist_cnn_script", "mnist_mlp", "mnist_cnn")) {
            try (DjlModel m = model(name + ".pt"); DjlBatch b = checkBatch(1, 0)) {
                float[] probabilities = m.infer(b)[0];
                float[] logits = expected(name + ".json");
                double sum = 0;
                for (float l : logits) {
                    sum += Math.exp(l);
                }
                for (int i = 0; i < 10; i++) {
                    assertEquals(Math.exp(logits[i]) / sum, probabilities[i], 2e-6, name + " class " + i);
                }
                if (name.startsWith("mnist_cnn")) {
                    assertEquals(List.of("bn1.bias", "bn1.num_batches_tracked", "bn1.running_mean", "bn1.running_var",
                            "bn1.weight", "conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc.bias", "fc.weight"),
                            List.copyOf(m.parameters().keySet()));
                    assertEquals(8, m.trainableParameters().size());
                } else {
                    assertEquals(List.of("1.bias", "1.weight", "3.bias", "3.weight", "5.bias", "5.weight"),
                            List.copyOf(m.parameters().keySet()));
                }
            }
        }
    }

    private static Map<String, float[]> snapshot(DjlModel m) {
        Map<String, float[]> out = new TreeMap<>();
        m.parameters().forEach((n, a) -> out.put(n, a.toType(DataType.FLOAT32, false).toFloatArray()));
        return out;
    }

    private static Optimizer sgd(DjlModel m) {
        SgdProvider p = new SgdProvider();
        return p.create(ConfigFactory.parseString("lr = 0.1, momentum = 0.9")
                .withFallback(ProviderRegistry.defaults(ProviderKind.OPTIMIZER, p)), m);
    }

    private static void train(DjlModel m, Optimizer o, int from, int to) {
        for (int s = from; s < to; s++) {
            try (DjlBatch b = randomBatch(16, s)) {
                m.trainStep(b, s);
            }
            o.step();
            o.zeroGrad();
        }
    }

    @Test
    void batchNormStatisticsTrainAndAreRestoredExactly() {
        DjlModel a = model("mnist_cnn_script.pt");
        Optimizer oa = sgd(a);
        train(a, oa, 0, 3);
        Map<String, float[]> afterThree = snapshot(a);
        assertEquals(3f, afterThree.get("bn1.num_batches_tracked")[0], "one per train step");
        assertNotEquals(0f, afterThree.get("bn1.running_mean")[0], "the module's own running mean moved");
        Checkpoint ck = new Checkpoint();
        a.saveState(ck.section("model.", "model."));
        oa.saveState(ck.section("optimizer.", "optimizer."));
        assertEquals(Tensor.class, ck.tensors().get("model.bn1.num_batches_tracked").getClass());
        assertEquals(dev.stride.runner.api.DType.I64, ck.tensors().get("model.bn1.num_batches_tracked").dtype());
        train(a, oa, 3, 6);

        DjlModel b = model("mnist_cnn_script.pt");
        Optimizer ob = sgd(b);
        b.loadState(ck.section("model.", "model."));
        ob.loadState(ck.section("optimizer.", "optimizer."));
        assertEquals(afterThree.keySet(), snapshot(b).keySet());
        snapshot(b).forEach((n, v) -> assertArrayEquals(afterThree.get(n), v, n));
        train(b, ob, 3, 6);
        Map<String, float[]> x = snapshot(a);
        Map<String, float[]> y = snapshot(b);
        x.forEach((n, v) -> assertArrayEquals(v, y.get(n), n + " after resuming"));
        try (DjlBatch batch = randomBatch(8, 99)) {
            assertEquals(a.valStep(batch).get("loss"), b.valStep(batch).get("loss"), "eval mode uses the restored statistics");
        }
        a.close();
        b.close();
    }

    @Test
    void frozenParametersGetNoGradientAndKeepTheirValues() {
        DjlModel m = model("file = \"" + DIR.resolve("mnist_cnn_script.pt") + "\", freeze = [\"^conv1\\\\.\", \"^bn1\\\\.\"]",
                MNIST);
        assertEquals(List.of("conv2.bias", "conv2.weight", "fc.bias", "fc.weight"), List.copyOf(m.trainableParameters().keySet()));
        dev.stride.runner.api.ModelSummary summary = m.summary();
        assertEquals(List.of("bn1", "conv1", "conv2", "fc"), summary.layers().stream().map(l -> l.name()).toList(),
                "a module without DJL children: its parameters grouped by their state_dict prefix");
        assertEquals(List.of(16L, 80L, 1168L, 7850L), summary.layers().stream().map(l -> l.parameters()).toList());
        assertEquals(9114, summary.parameters());
        assertEquals(1168 + 7850, summary.trainable(), "the frozen conv1 and bn1 are not trainable");
        assertEquals(List.of(-1L, 10L), summary.output());
        Map<String, float[]> before = snapshot(m);
        train(m, sgd(m), 0, 2);
        Map<String, float[]> after = snapshot(m);
        for (String n : List.of("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias")) {
            assertArrayEquals(before.get(n), after.get(n), n + " is frozen");
        }
        assertFalse(java.util.Arrays.equals(before.get("fc.weight"), after.get("fc.weight")), "fc trains");
        assertFalse(java.util.Arrays.equals(before.get("bn1.running_mean"), after.get("bn1.running_mean")),
                "frozen BatchNorm weights still track statistics in train mode, as in PyTorch");
        m.close();

        BadInputException e = assertThrows(BadInputException.class, () -> model("file = \"" + DIR.resolve("mnist_mlp.pt")
                + "\", freeze = [\"^conv\"]", MNIST));
        assertTrue(e.getMessage().contains("freeze: '^conv' matches no parameter") && e.getMessage().contains("1.weight"),
                e.getMessage());
    }

    private static String message(String options, DataSpec data) {
        return assertThrows(BadInputException.class, () -> model(options, data)).getMessage();
    }

    @Test
    void filesThatAreNotTorchScriptAreNamedWithWhatTheyAre() throws IOException {
        String png = message("file = \"../data/mnist-png/train/0/" + firstPng() + "\"", MNIST);
        assertTrue(png.contains("is not a TorchScript file: it is a PNG image") && png.contains("torch.jit.script"), png);

        Path pickle = Files.write(tmp.resolve("weights.pt"), new byte[] {(byte) 0x80, 2, 'c', '_', '_'});
        String p = message("file = \"" + pickle + "\"", MNIST);
        assertTrue(p.contains(pickle.toString()) && p.contains("Python pickle"), p);

        byte[] whole = Files.readAllBytes(DIR.resolve("mnist_cnn_script.pt"));
        Path cut = Files.write(tmp.resolve("cut.pt"), java.util.Arrays.copyOf(whole, whole.length / 2));
        String c = message("file = \"" + cut + "\"", MNIST);
        assertTrue(c.contains("damaged or truncated"), c);

        Path stateDict = tmp.resolve("state_dict.pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(stateDict))) {
            z.putNextEntry(new ZipEntry("state_dict/data.pkl"));
            z.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
            z.putNextEntry(new ZipEntry("state_dict/data/0"));
            z.write(new byte[16]);
        }
        String s = message("file = \"" + stateDict + "\"", MNIST);
        assertTrue(s.contains("was saved with torch.save") && s.contains("state_dict_to_safetensors.py"), s);

        String missing = message("file = \"" + tmp.resolve("nope.pt") + "\"", MNIST);
        assertTrue(missing.contains("does not exist"), missing);
        String none = message("", MNIST);
        assertTrue(none.contains("needs its file"), none);
    }

    private static String firstPng() throws IOException {
        try (var s = Files.list(Path.of("../data/mnist-png/train/0"))) {
            return s.map(f -> f.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void aShapeTheModelDoesNotTakeIsNamedWithBothShapes() {
        String in = message("file = \"" + DIR.resolve("tabular_mlp.pt") + "\"", MNIST);
        assertTrue(in.contains("tabular_mlp.pt") && in.contains("samples of shape [1, 28, 28]") && in.contains("cannot be multiplied (56x28 and 4x32)"), in);
        String out = message("file = \"" + DIR.resolve("mnist_mlp.pt") + "\"", new DataSpec(new long[] {1, 28, 28}, 3));
        assertTrue(out.contains("outputs [2, 10]") && out.contains("needs [2, 3] (3 classes)"), out);
    }
}
