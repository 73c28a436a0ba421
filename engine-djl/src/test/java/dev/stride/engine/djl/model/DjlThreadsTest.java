package dev.stride.engine.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DjlThreadsTest {
    @Test
    void oneIntraOpThreadOnTwoCoresOrFewerElseLibtorchsDefault() {
        assertEquals(1, Djl.threadsFor(1));
        assertEquals(1, Djl.threadsFor(2));
        assertEquals(0, Djl.threadsFor(4), "more cores: libtorch's own choice");
    }

    @Test
    void theEngineSaysWhatItRunsWith() {
        String d = Djl.describe();
        assertTrue(d.startsWith("PyTorch ") && d.contains("(DJL 0.36.0)"), d);
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            assertEquals("1", threads, "set before the engine started");
            assertTrue(d.contains("1 intra-op thread for " + Runtime.getRuntime().availableProcessors() + " cores"), d);
        }
    }
}
