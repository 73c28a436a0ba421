package dev.stride.launcher.spark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep of 2 x 2 trials in {@code local[2,3]} (two trials at a time, three attempts each), one of
 * which fails once: all four finish, the failed one resumed from its checkpoint (not restarted),
 * and the sweep writes its table and chart.
 */
class SweepIT {
    @TempDir
    Path dir;

    @Test
    void fourTrialsFinishAndTheFailedOneResumes() throws Exception {
        Path config = SparkCli.write(dir, "sweep.conf", """
                runner { type = epoch, max-epochs = 3 }
                workflow = [[train, 1], [val, 1]]
                seed = 5
                work-dir = "sweep"
                model { type = mlp, hidden = [32] }
                data {
                  train { type = mnist-idx, root = "%s", split = train, batch-size = 64, shuffle = true, limit = 640 }
                  val { type = mnist-idx, root = "%s", split = t10k, batch-size = 250, limit = 500 }
                }
                optimizer { type = sgd, lr = 0.1, momentum = 0.9 }
                hooks = [
                  { type = checkpoint, interval = 1 }
                  { type = text-logger, interval = 5 }
                ]
                """.formatted(SparkCli.mnistRoot(), SparkCli.mnistRoot()));
        SparkCli.Result r = SparkCli.run(dir, Map.of("STRIDE_TEST_FAULT", "trial=1,iter=15,action=throw"), "sweep",
                config.toString(), "--grid", "optimizer.lr=[0.1,0.02]", "--grid", "model.hidden=[[16],[32]]", "--on", "spark",
                "--set", "dist.master=\"local[2,3]\"");
        assertEquals(0, r.exit(), r.all());
        Path sweep = dir.resolve("sweep");

        List<String> rows = Files.readAllLines(sweep.resolve("sweep.csv"));
        rows.forEach(System.out::println);
        assertEquals(5, rows.size(), "a header and 4 trials");
        assertTrue(rows.get(0).startsWith("trial,optimizer.lr,model.hidden,epoch,iter,train_loss,val_loss,val_accuracy"));
        for (String row : rows.subList(1, 5)) {
            String[] cells = row.split(",");
            assertEquals("30", cells[4], "every trial trained to the end: " + row);
            assertFalse(cells[7].isEmpty(), "every trial has a val accuracy: " + row);
        }
        assertTrue(rows.get(2).startsWith("1,0.1,[32],3,30,"), rows.get(2));
        assertEquals("2", rows.get(2).split(",")[9], "trial 1 took two attempts: " + rows.get(2));

        Path failed = sweep.resolve("trial_1_optimizer.lr=0.1_model.hidden=32");
        String log = Files.readString(failed.resolve("trial.log"));
        System.out.print(log);
        assertTrue(log.contains("attempt 1: failed"), log);
        assertTrue(log.contains("attempt 2: Resumed from " + failed.resolve("epoch_1.safetensors") + " (epoch 1, iter 10)"),
                "the retried trial resumed from its last checkpoint, not from scratch:\n" + log);
        for (String other : List.of("trial_0_optimizer.lr=0.1_model.hidden=16", "trial_2_optimizer.lr=0.02_model.hidden=16",
                "trial_3_optimizer.lr=0.02_model.hidden=32")) {
            String l = Files.readString(sweep.resolve(other).resolve("trial.log"));
            assertFalse(l.contains("Resumed"), other + " ran once from scratch:\n" + l);
            assertTrue(Files.exists(sweep.resolve(other).resolve("epoch_3.safetensors")), other);
        }

        BufferedImage chart = ImageIO.read(sweep.resolve("sweep.png").toFile());
        assertNotNull(chart, "sweep.png is a PNG");
        assertTrue(chart.getWidth() >= 800 && chart.getHeight() >= 400, chart.getWidth() + "x" + chart.getHeight());
        // train loss left, val accuracy right, each trial in its colour (SweepChart.COLORS) in both
        int[] trialColours = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728};
        for (int t = 0; t < 4; t++) {
            for (int half = 0; half < 2; half++) {
                int n = 0;
                for (int y = 0; y < chart.getHeight(); y++) {
                    for (int x = half * chart.getWidth() / 2; x < (half + 1) * chart.getWidth() / 2; x++) {
                        n += (chart.getRGB(x, y) & 0xffffff) == trialColours[t] ? 1 : 0;
                    }
                }
                assertTrue(n > 50, "trial " + t + " in the " + (half == 0 ? "train loss" : "val accuracy") + " chart: " + n);
            }
        }
        try (Stream<Path> trials = Files.list(sweep)) {
            assertEquals(4, trials.filter(Files::isDirectory).count());
        }
    }
}
