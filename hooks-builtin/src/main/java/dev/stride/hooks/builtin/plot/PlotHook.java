package dev.stride.hooks.builtin.plot;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.ValResults;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * {@code plot}: draws the train loss, the learning rate and the val metrics (val loss beside the
 * train loss) against the train iteration into a PNG, {@code <work-dir>/<file>}, rewritten after
 * each val epoch, each evaluation of the {@code eval} hook and at the end of the run. Drawn with
 * XChart ({@link CurvesChart}), headless. The curves are saved with checkpoints, so the picture of
 * a resumed run is whole.
 */
public final class PlotHook implements Hook {
    private static final Set<String> NOT_METRICS = Set.of("time", "data_time");

    private final String file;
    private final int width;
    private final int height;
    private final Curves curves = new Curves();
    private final ValResults evaluations = new ValResults();

    /** {@code plot}, or the {@code id} the config gives it: the key of its state in checkpoints. */
    private final String name;

    public PlotHook(Config options) {
        this.name = Settings.hookName(options, "plot");
        this.file = options.getString("file");
        this.width = Settings.intIn(options, "width", 200, 10_000);
        this.height = Settings.intIn(options, "height", 150, 10_000);
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void afterTrainIter(Runner runner) {
        long x = runner.iter() + 1;
        if (runner.outputs().scalars().containsKey("loss")) {
            curves.add(Curves.LOSS, "train loss", x, runner.outputs().get("loss"));
        }
        curves.add(Curves.LR, "lr", x, runner.currentLr());
        evaluated(runner, x);
    }

    @Override
    public void afterTrainEpoch(Runner runner) {
        evaluated(runner, runner.iter());
    }

    @Override
    public void afterValEpoch(Runner runner) {
        addVal(ValResults.ofValEpoch(runner), runner.iter());
        write(runner);
    }

    @Override
    public void afterRun(Runner runner) {
        write(runner);
    }

    private void evaluated(Runner runner, long x) {
        Map<String, Double> results = evaluations.newEvaluation(runner);
        if (!results.isEmpty()) {
            addVal(results, x);
            write(runner);
        }
    }

    private void addVal(Map<String, Double> metrics, long x) {
        metrics.forEach((k, v) -> {
            if (k.equals("loss")) {
                curves.add(Curves.LOSS, "val loss", x, v);
            } else if (!NOT_METRICS.contains(k)) {
                curves.add(Curves.METRICS, k, x, v);
            }
        });
    }

    /** Writes the PNG to a temporary file and renames it, so a viewer never sees half a picture. */
    private void write(Runner runner) {
        if (!runner.isMainProcess()) {
            return;
        }
        Path target = runner.workDir().resolve(file);
        BufferedImage image = CurvesChart.paint(curves, width, height);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IllegalStateException("this JVM has no PNG writer");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        curves.save(state);
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        curves.load(state);
    }
}
