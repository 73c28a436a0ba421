package dev.stride.hooks.builtin.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

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
        // three panels of 160 pixels: loss (train, val), learning rate, val metrics (accuracy)
        assertTrue(pixelsNear(png, Charts.COLORS[0], 0, 160) > 300, "train loss");
        assertTrue(pixelsNear(png, Charts.COLORS[1], 0, 160) > 60, "val loss, 4 dots and the lines between them");
        assertTrue(pixelsNear(png, Charts.COLORS[0], 160, 320) > 300, "lr");
        assertEquals(0, pixelsNear(png, Charts.COLORS[1], 160, 320), "no second curve in the lr panel");
        assertTrue(pixelsNear(png, Charts.COLORS[0], 320, 480) > 60, "accuracy");
        assertTrue(pixelsNear(png, Color.WHITE, 0, 480) > png.getWidth() * png.getHeight() / 2, "a white background");
        assertTrue(pixelsNear(png, Color.WHITE, 0, 480) < png.getWidth() * png.getHeight() * 0.97, "not blank");
        assertTrue(colours(png) > 20, "not blank: axes, labels, grid, curves");
        assertFalse(Files.exists(dir.resolve("curves.png.tmp")));
    }

    /** The charts the hook draws, built by the same code from the curves it saved: what each panel shows. */
    @Test
    void eachPanelShowsItsCurvesAgainstTheIterationWithRoundDistinctTicks() {
        Harness run = Harness.epochs(4, 25).in(dir).workflow("[[train, 1], [val, 1]]").val(FakeLoader.of(1)).hook("plot");
        run.model().losses(n -> 2.0 / (1 + n / 10.0)).valResults(n -> Map.of("loss", 1.0 / (n + 1), "accuracy", 0.5 + n / 10.0));
        run.run();
        List<XYChart> panels = CurvesChart.panels(curvesOf(run), 900, 900);
        assertEquals(List.of("loss", "learning rate", "val metrics"), panels.stream().map(XYChart::getTitle).toList());
        assertEquals(900, panels.stream().mapToInt(XYChart::getHeight).sum());
        XYChart loss = panels.get(0);
        assertEquals(List.of("train loss", "val loss"), List.copyOf(loss.getSeriesMap().keySet()));
        XYSeries train = loss.getSeriesMap().get("train loss");
        assertEquals(100, train.getXData().length);
        for (int i = 0; i < 100; i++) {
            assertEquals(i + 1, train.getXData()[i], 1e-3, "x is the global iteration");
            assertEquals(2.0 / (1 + i / 10.0), train.getYData()[i], 1e-6);
        }
        assertArrayEquals(new double[] {25, 50, 75, 100}, loss.getSeriesMap().get("val loss").getXData(), 1e-3);
        assertArrayEquals(new double[] {1, 0.5, 1 / 3.0, 0.25}, loss.getSeriesMap().get("val loss").getYData(), 1e-6);
        assertEquals(List.of("lr"), List.copyOf(panels.get(1).getSeriesMap().keySet()));
        assertEquals(List.of("accuracy"), List.copyOf(panels.get(2).getSeriesMap().keySet()));
        assertArrayEquals(new double[] {0.5, 0.6, 0.7, 0.8}, panels.get(2).getSeriesMap().get("accuracy").getYData(), 1e-6);
        List<BufferedImage> images = Charts.alignedPlots(panels);
        assertEquals(images.get(0).getHeight(), images.get(1).getHeight());
        assertTrue(images.get(2).getHeight() > images.get(1).getHeight(), "the bottom panel also has the x axis' title");
        assertEquals(List.of(false, false, true), panels.stream().map(p -> p.getStyler().isXAxisTitleVisible()).toList());
        for (XYChart p : panels) {
            assertEquals("iteration", p.getXAxisTitle());
            assertEquals(p.getTitle(), p.getYAxisTitle());
            assertEquals(Charts.plotLeft(panels.get(0)), Charts.plotLeft(p), 1, "the plots line up");
            List<String> x = AxisTicks.of(p, true);
            AxisTicks.assertRound(x, 4);
            assertEquals(AxisTicks.of(panels.get(0), true), x, "the panels share the x axis");
            AxisTicks.assertRound(AxisTicks.of(p, false), 3);
        }
        assertTrue(AxisTicks.of(panels.get(1), false).contains("0.1"), "the flat lr of 0.1 between round ticks: "
                + AxisTicks.of(panels.get(1), false));
    }

    @Test
    void oneValPointAlonePlotsAsADotBetweenRoundTicks() {
        Curves curves = new Curves();
        curves.add(Curves.METRICS, "accuracy", 125, 0.9155);
        List<XYChart> panels = CurvesChart.panels(curves, 640, 300);
        assertEquals(1, panels.size());
        XYSeries accuracy = panels.get(0).getSeriesMap().get("accuracy");
        assertEquals(SeriesMarkers.CIRCLE, accuracy.getMarker(), "a single point shows as a dot");
        BitmapEncoder.getBufferedImage(panels.get(0));
        for (boolean x : new boolean[] {true, false}) {
            List<String> ticks = AxisTicks.of(panels.get(0), x);
            AxisTicks.assertRound(ticks, 3);
        }
        assertTrue(pixelsNear(CurvesChart.paint(curves, 640, 300), Charts.COLORS[0], 0, 300) > 20, "the dot");
    }

    @Test
    void withoutDataYetThePictureSaysSo() {
        List<XYChart> panels = CurvesChart.panels(new Curves(), 400, 300);
        assertEquals("no data yet", panels.get(0).getTitle());
        assertTrue(panels.get(0).getSeriesMap().isEmpty());
        assertEquals(300, CurvesChart.paint(new Curves(), 400, 300).getHeight());
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
        Harness run = Harness.epochs(1, 5).in(dir).val(null).hook("plot", "width = 400, height = 300");
        run.run();
        BufferedImage png = ImageIO.read(dir.resolve("curves.png").toFile());
        assertEquals(300, png.getHeight());
        assertTrue(pixelsNear(png, Charts.COLORS[0], 0, 150) > 100, "train loss");
        assertTrue(pixelsNear(png, Charts.COLORS[0], 150, 300) > 100, "lr");
        assertEquals(List.of("loss", "learning rate"),
                CurvesChart.panels(curvesOf(run), 400, 300).stream().map(XYChart::getTitle).toList(), "no val metrics panel");
    }

    @Test
    void theCurvesResumeWithTheRun() {
        Harness first = Harness.epochs(1, 4).in(dir).hook("plot").hook("checkpoint");
        first.run();
        Harness second = Harness.epochs(2, 4).in(dir).hook("plot");
        second.resume(dir.resolve("epoch_1.safetensors")).run();
        List<double[]> loss = curvesOf(second).panels().get(Curves.LOSS).get("train loss").points();
        assertEquals(8, loss.size(), "4 iterations before the resume and 4 after");
        assertEquals(1.0, loss.get(0)[0], 0);
        assertEquals(8.0, loss.get(7)[0], 0);
    }

    /** The curves of the run's plot hook, as it saves them in checkpoints. */
    static Curves curvesOf(Harness run) {
        PlotHook hook = (PlotHook) run.runner().hooks().stream().filter(h -> h instanceof PlotHook).findFirst().orElseThrow();
        Checkpoint ck = run.runner().checkpoint();
        hook.saveState(ck.section("x.", "x."));
        Curves curves = new Curves();
        curves.load(ck.section("x.", "x."));
        return curves;
    }

    /** Pixels of the rows {@code top} (inclusive) to {@code bottom} within a small distance of {@code c} (antialiasing blends the edges of lines). */
    static long pixelsNear(BufferedImage img, Color c, int top, int bottom) {
        long n = 0;
        for (int y = top; y < bottom; y++) {
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
