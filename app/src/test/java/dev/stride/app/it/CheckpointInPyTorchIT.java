package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stride.runner.api.internal.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Stride checkpoint is PyTorch's to use: the MLP example, trained by the real command line on
 * MNIST-10k, is read by {@code engine-djl/src/test/python/checkpoint_to_torch.py} with json, struct
 * and numpy only (no Stride code) into the equivalent {@code torch.nn.Sequential}, which classifies
 * the 2,000 test images exactly as well as Stride's last val epoch reported.
 */
class CheckpointInPyTorchIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsTorch() throws Exception {
        Python.requireTorch();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMlpExamplesCheckpointReproducesItsValAccuracyInPyTorch() throws Exception {
        Path work = tmp.resolve("mlp");
        StrideCli.Result r = StrideCli.run(StrideCli.repo(), "train", "examples/mnist/mlp_epoch.conf", "--work-dir", work.toString());
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> val = Configs.jsonLog(work).stream().filter(l -> "val".equals(l.get("mode"))).toList();
        double stride = (Double) val.get(val.size() - 1).get("accuracy");

        Python.Result p = Python.run(Python.script("checkpoint_to_torch.py").toString(),
                work.resolve("epoch_4.safetensors").toString(), Configs.mnistRoot());
        assertEquals(0, p.exit(), p.output());
        Map<String, Object> torch = (Map<String, Object>) Json.parse(p.output().strip().lines().reduce((a, b) -> b).orElseThrow());
        double accuracy = ((Number) torch.get("accuracy")).doubleValue();
        System.out.printf("CheckpointInPyTorchIT: Stride's val accuracy %.4f, PyTorch's on the checkpoint %.4f (%s of %s, layers %s)%n",
                stride, accuracy, torch.get("correct"), torch.get("samples"), torch.get("layers"));
        assertEquals(String.format(Locale.ROOT, "%.4f", stride), String.format(Locale.ROOT, "%.4f", accuracy));
        assertEquals(2000L, ((Number) torch.get("samples")).longValue());
    }
}
