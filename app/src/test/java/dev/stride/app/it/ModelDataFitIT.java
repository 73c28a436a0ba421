package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data that does not fit the model (labels beyond its classes) is the user's mistake, found before
 * the first step: exit 2 naming both sides, no DJL stack trace, nothing written; in train, in a dry
 * run and in stride test.
 */
class ModelDataFitIT {
    @TempDir
    Path tmp;

    private static void assertMisfit(StrideCli.Result r) {
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("model: it outputs 5 classes (labels 0..4)"), r.err());
        assertTrue(r.err().contains("has 10 classes (labels up to 9)"), r.err());
        assertTrue(r.err().contains("model.num-classes = 10"), r.err());
        assertFalse(r.all().contains("\tat "), "no stack trace:\n" + r.all());
        assertFalse(r.all().contains("internal error"), r.all());
    }

    @Test
    void labelsBeyondTheModelsClassesAreRefusedInTrainDryRunAndTest() throws Exception {
        Path work = tmp.resolve("work");
        String good = Configs.mlp(work, 256);
        String five = good.replace("hidden = [64] }", "hidden = [64], num-classes = 5 }");
        Path cfg = Configs.write(tmp, "five.conf", five);

        StrideCli.Result train = StrideCli.run(tmp, "train", cfg.toString());
        assertMisfit(train);
        assertTrue(train.err().contains("five.conf:5"), "the model section's line: " + train.err());
        assertFalse(Files.exists(work), "nothing is written");
        assertMisfit(StrideCli.run(tmp, "train", cfg.toString(), "--dry-run"));

        StrideCli.Result trained = StrideCli.run(tmp, "train", Configs.write(tmp, "good.conf", good).toString());
        assertEquals(0, trained.exit(), trained.all());
        StrideCli.Result test = StrideCli.run(tmp, "test", cfg.toString(), "--checkpoint",
                work.resolve("epoch_1.safetensors").toString(), "--out", tmp.resolve("results").toString());
        assertMisfit(test);
        assertFalse(Files.exists(tmp.resolve("results")), "nothing is written");
    }
}
