package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stride train} loads libtorch and the optimizers' TorchScript steps on a background thread
 * while it reads the config and the data (launcher's {@code Preloads}, engine-djl's
 * {@code EnginePreload}). Training must not notice: the same tensors to the bit as a run that loads
 * everything on its own thread ({@code -Dstride.preload=false}), and a process that ends while the
 * library is still loading (a mistake in the config, SIGTERM) ends cleanly, never with a JVM crash
 * report.
 */
class EnginePreloadIT {
    @TempDir
    Path tmp;

    /** MLP with dropout (random draws in every step) and each scripted optimizer, 2 epochs of 640 images. */
    private String job(Path work, String optimizer) {
        return Configs.mlp(work, 640)
                .replace("max-epochs = 1", "max-epochs = 2")
                .replace("model { type = mlp, hidden = [64] }", "model { type = mlp, hidden = [64], dropout = 0.2 }")
                .replace("optimizer { type = sgd, lr = 0.1, momentum = 0.9 }", "optimizer " + optimizer);
    }

    private Path train(String name, String optimizer, Map<String, String> env) throws Exception {
        Path work = tmp.resolve(name);
        Path cfg = Configs.write(tmp, name + ".conf", job(work, optimizer));
        StrideCli.Result r = StrideCli.run(tmp, env, "train", cfg.toString());
        assertEquals(0, r.exit(), r.all());
        return work;
    }

    private static List<Object> losses(Path work) throws Exception {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> r : Configs.jsonLog(work)) {
            out.add(r.get("mode") + "@" + r.get("global_iter") + "=" + r.get("loss"));
        }
        return out;
    }

    @Test
    void trainingEndsBitForBitTheSameWhetherTheEngineLoadsAheadOrNot() throws Exception {
        for (String optimizer : List.of("{ type = sgd, lr = 0.1, momentum = 0.9, weight-decay = 1e-4 }", "{ type = adam, lr = 0.003 }")) {
            Path ahead = train("ahead", optimizer, Map.of());
            Path inline = train("inline", optimizer, Map.of("STRIDE_JAVA_OPTS", "-Dstride.preload=false"));
            assertEquals(List.of(), Tensors.differences(ahead.resolve("epoch_2.safetensors"), inline.resolve("epoch_2.safetensors")), optimizer);
            assertEquals(losses(inline), losses(ahead), optimizer);
            assertFalse(losses(ahead).isEmpty());
            for (Path w : List.of(ahead, inline)) {
                deleteTree(w);
            }
        }
    }

    @Test
    void aMistakeFoundWhileTheEngineLoadsEndsWithItsMessageAndNoCrash() throws Exception {
        Path work = tmp.resolve("mistake");
        // found after the config is read and the providers are found, while libtorch is still loading
        Path cfg = Configs.write(tmp, "mistake.conf", job(work, "{ type = sgd, lr = 0.1, momentun = 0.9 }"));
        for (int i = 0; i < 4; i++) {
            StrideCli.Result r = StrideCli.run(tmp, "train", cfg.toString());
            assertEquals(2, r.exit(), r.all());
            assertTrue(r.err().contains("momentun"), r.err());
            assertFalse(r.all().contains("fatal error"), r.all());
        }
        assertEquals(List.of(), crashReports());
    }

    @Test
    void sigtermWhileTheEngineLoadsEndsTheProcessWithoutACrash() throws Exception {
        Path work = tmp.resolve("term");
        Path cfg = Configs.write(tmp, "term.conf", job(work, "{ type = sgd, lr = 0.1 }"));
        for (long delayMs : new long[] {300, 500, 700}) {
            Path out = tmp.resolve("out-" + delayMs + ".txt");
            Path err = tmp.resolve("err-" + delayMs + ".txt");
            Process p = StrideCli.start(tmp, Map.of(), out, err, "train", cfg.toString());
            Thread.sleep(delayMs);
            p.destroy(); // SIGTERM: before the run starts, the JVM's own handler ends it (143)
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ended");
            String all = Files.readString(out) + Files.readString(err);
            assertTrue(p.exitValue() == 143 || p.exitValue() == 0, "exit " + p.exitValue() + ": " + all);
            assertFalse(all.contains("fatal error") || all.contains("SIGSEGV"), all);
        }
        assertEquals(List.of(), crashReports());
    }

    /** The JVM writes hs_err_pid*.log into the working directory when it crashes. */
    private List<Path> crashReports() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
