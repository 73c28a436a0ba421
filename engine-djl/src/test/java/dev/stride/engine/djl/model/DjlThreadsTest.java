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
    void modelsWithConvolutionsGetAThreadPerCoreOnTwoCoresOrFewer() {
        assertEquals(2, Djl.threadsFor(2, true, null));
        assertEquals(1, Djl.threadsFor(2, false, null));
        assertEquals(1, Djl.threadsFor(1, true, null));
        assertEquals(0, Djl.threadsFor(8, true, null), "more cores: the engine's count for every model");
        assertEquals(0, Djl.threadsFor(8, false, null));
    }

    @Test
    void aGivenCountHoldsForEveryModel() {
        assertEquals(1, Djl.threadsFor(2, true, "1"));
        assertEquals(3, Djl.threadsFor(2, false, " 3"));
        assertEquals(4, Djl.threadsFor(8, true, "4"));
        assertEquals(0, Djl.threadsFor(2, true, "many"), "left to DJL's own reading");
    }

    @Test
    void theEngineSaysWhatItRunsWith() {
        String d = Djl.describe();
        assertTrue(d.startsWith("PyTorch ") && d.contains("(DJL 0.36.0)"), d);
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            assertEquals("1", threads, "set before the engine started");
            int cores = Runtime.getRuntime().availableProcessors();
            assertTrue(d.contains("1 intra-op thread for " + cores + " cores" + (cores == 2 ? ", 2 for models with convolutions" : "")
                    + " (-Dai.djl.pytorch.num_threads sets it)"), d);
        }
    }
}
