package dev.stride.hooks.builtin.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotHookTest {
    @TempDir
    Path dir;

    @Test
    void drawsThePngOfTheConfiguredSizeWithItsCurves() throws IOException {
        Harness run = Harness.epochs(4, 25).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1))
                .hook("plot", "width = 640, height = 480");
        run.model().losses(n -> 2.0 / (1 + n / 10.0)).valResults(n -> Map.of("loss", 1.0 / (n + 1), "accuracy", 0.5 + n / 10.0));
        run.run();
        BufferedImage png = ImageIO.read(dir.resolve("curves.png").toFile());
        assertEquals(640, png.getWidth());
        assertEquals(480, png.getHeight());
        assertTrue(pixelsNear(png, Chart.PALETTE[0]) > 400, "the first curve of each panel (train loss, lr, accuracy)");
        assertTrue(pixelsNear(png, Chart.PALETTE[1]) > 100, "the second curve of the loss panel (val loss)");
        assertTrue(colours(png) > 20, "not blank: axes, labels, grid, curves");
        assertFalse(Files.exists(dir.resolve("curves.png.tmp")));
    }

    @Test
    void isWrittenAfterEachValEpochAndAtTheEnd() {
        Harness run = Harness.epochs(2, 3).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1))
                .hook("plot", "file = \"plots/run.png\"");
        List<String> seen = new ArrayList<>();
        Path png = dir.resolve("plots/run.png");
        run.hook(new Hook() {
            @Override
            public void afterTrainEpoch(Runner r) {
                seen.add("train " + (r.epoch() + 1) + ": " + Files.exists(png));
            }

            @Override
            public void afterValEpoch(Runner r) {
                seen.add("val " + r.epoch() + ": " + Files.exists(png));
            }
        }, Priority.LOWEST).run();
        assertEquals(List.of("train 1: false", "val 1: true", "train 2: true", "val 2: true"), seen);
    }

    @Test
    void isWrittenAfterEachEvaluationOfTheEvalHook() throws IOException {
        Harness run = Harness.iters(8, 3).in(dir).val(FakeLoader.of(1)).hook("eval", "interval = 4")
                .hook("plot", "width = 300, height = 200");
        List<Boolean> seen = new ArrayList<>();
        run.hook(new Hook() {
            @Override
            public void afterTrainIter(Runner r) {
                if ((r.iter() + 1) % 4 == 0) {
                    seen.add(Files.exists(dir.resolve("curves.png")));
                }
            }
        }, Priority.LOWEST).run();
        assertEquals(List.of(true, true), seen);
        assertEquals(300, ImageIO.read(dir.resolve("curves.png").toFile()).getWidth());
    }

    @Test
    void aRunWithoutValDataStillPlotsLossAndLearningRateAtTheEnd() throws IOException {
        Harness.epochs(1, 5).in(dir).val(null).hook("plot", "width = 400, height = 300").run();
        BufferedImage png = ImageIO.read(dir.resolve("curves.png").toFile());
        assertEquals(300, png.getHeight());
        assertTrue(pixelsNear(png, Chart.PALETTE[0]) > 100);
    }

    @Test
    void theCurvesResumeWithTheRun() {
        Harness first = Harness.epochs(1, 4).in(dir).hook("plot").hook("checkpoint");
        first.run();
        Harness second = Harness.epochs(2, 4).in(dir).hook("plot");
        second.resume(dir.resolve("epoch_1.safetensors")).run();
        PlotHook hook = (PlotHook) second.runner().hooks().stream().filter(h -> h instanceof PlotHook).findFirst()
                .orElseThrow();
        Curves curves = new Curves();
        dev.stride.runner.api.Checkpoint ck = second.runner().checkpoint();
        hook.saveState(ck.section("x.", "x."));
        curves.load(ck.section("x.", "x."));
        List<double[]> loss = curves.panels().get(Curves.LOSS).get("train loss").points();
        assertEquals(8, loss.size(), "4 iterations before the resume and 4 after");
        assertEquals(1.0, loss.get(0)[0], 0);
        assertEquals(8.0, loss.get(7)[0], 0);
    }

    /** Pixels within a small distance of {@code c} (antialiasing blends the edges of lines). */
    static long pixelsNear(BufferedImage img, Color c) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color p = new Color(img.getRGB(x, y));
                int d = Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                        + Math.abs(p.getBlue() - c.getBlue());
                if (d < 30) {
                    n++;
                }
            }
        }
        return n;
    }

    static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
