package dev.stride.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.app.it.StrideCli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out of memory in a training iteration of a real process: "out of memory", exit 1, no stack trace. */
class OutOfMemoryIT {
    @TempDir
    Path tmp;

    /**
     * 1,500 samples of 65,536 floats fill 393 MB of a 600 MB heap when the data set is built; the
     * first batch needs as much again in native (direct) memory, limited here to 256 MB, so the
     * first train iteration runs out of memory.
     */
    @Test
    void outOfMemoryInATrainingIterationIsReportedWithoutStackTrace() throws Exception {
        Path work = tmp.resolve("work");
        String job = """
                runner { type = epoch, max-epochs = 1 }
                work-dir = "%s"
                model { type = mlp, hidden = [8] }
                data.train { type = synthetic, size = 1500, shape = [65536], num-classes = 3, batch-size = 1500, prefetch = 0 }
                optimizer { type = sgd, lr = 0.1 }
                hooks = [{ type = checkpoint, interval = 1 }]
                """.formatted(work);
        StrideCli.Result r = Launch.run(tmp, List.of("-Xmx600m", "-XX:MaxDirectMemorySize=256m"), "train", Jobs.write(tmp, "big.conf", job).toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().contains("Training mlp with the epoch runner"), "the data loaded and training started:\n" + r.out());
        assertTrue(r.out().contains("Training stopped at epoch 0, iter 0 by an error"), "it failed in the first iteration:\n" + r.out());
        assertTrue(r.err().contains("stride: out of memory ("), r.err());
        assertTrue(r.err().contains("smaller batch-size"), "says what to do: " + r.err());
        assertFalse(r.all().contains("\tat "), "no stack trace for out of memory:\n" + r.all());
        assertFalse(r.err().contains("Exception in thread"), r.err());
    }
}
