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
     * A model of 327,683 parameters (1.3 MB) builds and summarises itself on a batch of 2; the first
     * train batch of 1,048,576 samples needs a 275 GB activation of its 65,536 hidden units, which
     * libtorch cannot allocate (no machine running this has that much memory and swap), so the
     * first train iteration runs out of native memory.
     */
    @Test
    void outOfMemoryInATrainingIterationIsReportedWithoutStackTrace() throws Exception {
        Path work = tmp.resolve("work");
        String job = """
                runner { type = epoch, max-epochs = 1 }
                work-dir = "%s"
                model { type = mlp, hidden = [65536] }
                data.train { type = synthetic, size = 1048576, shape = [1], num-classes = 3, batch-size = 1048576, prefetch = 0 }
                optimizer { type = sgd, lr = 0.1 }
                hooks = [{ type = checkpoint, interval = 1 }]
                """.formatted(work);
        StrideCli.Result r = Launch.run(tmp, List.of(), "train", Jobs.write(tmp, "big.conf", job).toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().contains("Training mlp with the epoch runner"), "the data loaded and training started:\n" + r.out());
        assertTrue(r.out().contains("Training stopped at epoch 0, iter 0 by an error"), "it failed in the first iteration:\n" + r.out());
        assertTrue(r.err().contains("stride: out of memory ("), r.err());
        assertTrue(r.err().contains("smaller batch-size"), "says what to do: " + r.err());
        assertFalse(r.all().contains("\tat "), "no stack trace for out of memory:\n" + r.all());
        assertFalse(r.err().contains("Exception in thread"), r.err());
    }
}
