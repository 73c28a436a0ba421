package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.internal.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights trained in PyTorch come into Stride: a DataParallel-style state_dict saved with
 * torch.save ({@code module.conv1.weight} ...) is converted by
 * {@code examples/torchscript/state_dict_to_safetensors.py}, then loaded with {@code load-from} and
 * {@code revise-keys} into the {@code torchscript} model, BatchNorm statistics included: Stride's
 * first val epoch, before any training, reports PyTorch's loss and accuracy on the same images.
 */
class LoadFromPyTorchIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsTorch() throws Exception {
        Python.requireTorch();
    }

    private String job(Path work, String loadFrom) {
        String root = Configs.mnistRoot();
        return """
                runner { type = epoch, max-epochs = 1 }
                workflow = [[val, 1], [train, 1]]
                seed = 1
                work-dir = "%s"
                model { type = torchscript, file = "%s" }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 64, limit = 64 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 200, limit = 500 }
                }
                optimizer { type = sgd, lr = 0.01 }
                hooks = [{ type = json-logger, interval = 1 }]
                %s
                """.formatted(work, StrideCli.repo().resolve("examples/torchscript/mnist_cnn_script.pt"), root, root, loadFrom);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPyTorchStateDictLoadsWithReviseKeysAndGivesPyTorchsFigures() throws Exception {
        Path pth = tmp.resolve("weights.pth");
        Python.Result weights = Python.run(Python.script("pytorch_weights.py").toString(),
                StrideCli.repo().resolve("examples/torchscript/mnist_cnn_script.pt").toString(), Configs.mnistRoot(),
                pth.toString(), "500");
        assertEquals(0, weights.exit(), weights.output());
        Map<String, Object> torch = (Map<String, Object>) Json.parse(weights.output().strip().lines().reduce((a, b) -> b).orElseThrow());
        Path safetensors = tmp.resolve("weights.safetensors");
        Python.Result convert = Python.run(StrideCli.repo().resolve("examples/torchscript/state_dict_to_safetensors.py").toString(),
                pth.toString(), safetensors.toString());
        assertEquals(0, convert.exit(), convert.output());

        Path work = tmp.resolve("work");
        Path cfg = Configs.write(tmp, "load.conf", job(work, "load-from { file = \"" + safetensors
                + "\", revise-keys = [[\"^module\\\\.\", \"\"]] }"));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
        Map<String, Object> val = Configs.jsonLog(work).stream().filter(l -> "val".equals(l.get("mode"))).findFirst().orElseThrow();
        double loss = (Double) val.get("loss");
        double pyLoss = ((Number) torch.get("loss")).doubleValue();
        System.out.printf("LoadFromPyTorchIT: PyTorch loss %.7f accuracy %.4f; Stride after load-from loss %.7f accuracy %.4f"
                + " (relative difference of the loss %.2g)%n", pyLoss, ((Number) torch.get("accuracy")).doubleValue(), loss,
                val.get("accuracy"), Math.abs(loss - pyLoss) / pyLoss);
        assertEquals(((Number) torch.get("accuracy")).doubleValue(), (Double) val.get("accuracy"), 1e-12);
        assertEquals(pyLoss, loss, 1e-5 * pyLoss);

        Path strict = Configs.write(tmp, "strict.conf", job(tmp.resolve("strict"), "load-from = \"" + safetensors + "\""));
        StrideCli.Result s = StrideCli.run(tmp, "train", strict.toString());
        assertEquals(2, s.exit(), s.all());
        assertTrue(s.err().contains("revise-keys") && s.err().contains("module.conv1.weight"), s.err());
    }
}
