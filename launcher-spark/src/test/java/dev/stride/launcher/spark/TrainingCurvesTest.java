package dev.stride.launcher.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
    @TempDir
    Path dir;

    @Test
    void aResumedRunsLinesReplaceTheInterruptedAttemptsForTheSameIterations() throws Exception {
        Files.write(dir.resolve("20260101_000000.log.json"), List.of(
                "{\"mode\": \"train\", \"epoch\": 1, \"iter\": 10, \"lr\": 0.1, \"loss\": 2.0}",
                "{\"mode\": \"val\", \"epoch\": 1, \"iter\": 10, \"loss\": 1.5, \"accuracy\": 0.5}",
                "{\"mode\": \"train\", \"epoch\": 2, \"iter\": 20, \"lr\": 0.1, \"loss\": 1.9}",
                "{\"mode\": \"train\", \"epoch\": 2, \"it"));
        Files.write(dir.resolve("20260101_000100.log.json"), List.of(
                "{\"mode\": \"train\", \"epoch\": 2, \"iter\": 20, \"lr\": 0.1, \"loss\": 1.0}",
                "{\"mode\": \"val\", \"epoch\": 2, \"iter\": 20, \"loss\": 0.9, \"accuracy\": 0.75}"));
        TrainingCurves c = TrainingCurves.read(dir);
        assertEquals(2, c.trainLoss().size());
        assertEquals(1.0, c.trainLoss().get(20L));
        assertEquals(0.75, TrainingCurves.last(c.valAccuracy()));
        assertEquals(0.9, TrainingCurves.last(c.valLoss()));
        assertEquals(0.75, TrainingCurves.best(c.valAccuracy()));
    }
}
