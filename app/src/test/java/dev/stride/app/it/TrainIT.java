package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real training in a real JVM on the module path: MNIST with DJL and PyTorch. */
class TrainIT {
    @TempDir
    Path tmp;

    @Test
    void shortRealTrainingLowersTheLossAndWritesMmcvShapedLogs() throws Exception {
        Path work = tmp.resolve("work");
        Path cfg = Configs.write(tmp, "mlp.conf", Configs.mlp(work, 4000));
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());

        List<Map<String, Object>> log = Configs.jsonLog(work);
        List<Map<String, Object>> train = log.stream().filter(l -> l.get("mode").equals("train")).toList();
        assertEquals(13, train.size(), "125 iterations logged every 10 plus the last partial interval: " + log);
        for (String key : List.of("mode", "epoch", "iter", "global_iter", "lr", "time", "data_time", "loss")) {
            assertTrue(train.get(0).containsKey(key), key + " missing in " + train.get(0));
        }
        assertEquals(10L, train.get(0).get("iter"));
        assertEquals(1L, train.get(0).get("epoch"));
        double first = (Double) train.get(0).get("loss");
        double last = (Double) train.get(train.size() - 1).get("loss");
        assertTrue(last < first / 2, "loss should fall well below its start: " + first + " -> " + last);

        Map<String, Object> val = log.get(log.size() - 1);
        assertEquals("val", val.get("mode"));
        assertEquals(1L, val.get("epoch"));
        assertEquals(2L, val.get("iter"), "the val epoch's batches (500 images in batches of 250), as MMCV writes it");
        assertEquals(125L, val.get("global_iter"));
        assertTrue((Double) val.get("accuracy") > 0.85, "val accuracy " + val);
        assertTrue(Files.exists(work.resolve("epoch_1.safetensors")));
        assertEquals("epoch_1.safetensors", Files.readString(work.resolve("last_checkpoint")).trim());
        assertTrue(r.out().contains("Epoch [1][10/125]"), r.out());
        assertTrue(r.out().contains("Epoch(val) [1][2]"), r.out());
    }

    @Test
    void iterRunnerLogsOneValLinePerValPhase() throws Exception {
        Path work = tmp.resolve("work");
        String conf = Configs.mlp(work, 320)
                .replace("runner { type = epoch, max-epochs = 1 }", "runner { type = iter, max-iters = 24 }")
                .replace("workflow = [[train, 1], [val, 1]]", "workflow = [[train, 8], [val, 2]]")
                .replace("{ type = checkpoint, interval = 1 }", "{ type = checkpoint, interval = 8 }");
        Path cfg = Configs.write(tmp, "iter.conf", conf);
        StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
        List<Map<String, Object>> val = Configs.jsonLog(work).stream().filter(l -> l.get("mode").equals("val")).toList();
        assertEquals(List.of(8L, 16L, 24L), val.stream().map(l -> l.get("global_iter")).toList(), val.toString());
        assertTrue(Files.exists(work.resolve("iter_24.safetensors")));
        assertTrue(r.out().contains("Iter [10/24]"), r.out());
    }

    @Test
    void listShowsEveryProviderWithModuleAndJar() throws Exception {
        StrideCli.Result r = StrideCli.run(tmp, "list");
        assertEquals(0, r.exit(), r.all());
        for (String line : List.of("runner     epoch", "runner     iter", "hook       checkpoint", "model      mlp",
                "model      lenet", "dataset    mnist-idx", "dataset    synthetic", "optimizer  sgd")) {
            assertTrue(r.out().contains(line), line + " missing:\n" + r.out());
        }
        assertTrue(r.out().contains("dev.stride.engine.djl"), r.out());
        assertTrue(r.out().contains("engine-djl-0.2.0.jar"), r.out());
        assertFalse(r.out().contains("class path"), "every provider comes from the module path:\n" + r.out());
    }
}
