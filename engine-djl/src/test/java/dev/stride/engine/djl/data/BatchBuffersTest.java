package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.engine.djl.model.Djl;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataSpec;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Rows go straight into the batch's tensors; a batch that is not built frees them, and so does a closed one. */
class BatchBuffersTest {
    static final DataSpec SPEC = new DataSpec(new long[] {2}, 10);

    static long live() {
        return Djl.manager().getManagedArrays().size();
    }

    @Test
    void theBatchHoldsTheCommittedRowsOnly() {
        long before = live();
        BatchBuffers b = new BatchBuffers(SPEC, true, 4);
        for (int row = 0; row < 3; row++) {
            b.input(new float[] {row, row + 0.5f}, 0);
            b.label(row + 1);
            b.commit();
        }
        try (DjlBatch batch = b.build()) {
            assertEquals(3, batch.size());
            assertArrayEquals(new long[] {3, 2}, batch.x().getShape().getShape());
            assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, batch.x().toFloatArray());
            assertArrayEquals(new long[] {1, 2, 3}, batch.y().toLongArray());
        }
        assertEquals(before, live(), "closing the batch frees its tensors");
    }

    @Test
    void aDiscardedBatchFreesItsTensors() {
        long before = live();
        BatchBuffers b = new BatchBuffers(SPEC, true, 64);
        b.discard();
        assertEquals(before, live());
    }

    @Test
    void aBatchWhoseSampleFailsLeavesNoTensorsBehind() {
        DjlDataLoader loader = LoaderCoreTest.loader(new LoaderCoreTest.Numbers(20, 7), 1, 0);
        long before = live();
        assertThrows(BadInputException.class,
                () -> loader.batch(EpochOrder.of(20, false, 1, 0), 1, 0, new ConcurrentLinkedQueue<>()));
        assertEquals(before, live());
        try (BatchStream s = loader.open(0, 2)) {
            while (s.hasNext()) {
                try (Batch batch = s.next()) {
                    assertEquals(5, batch.size());
                }
            }
        }
        assertEquals(before, live(), "every batch of a whole stream is freed");
    }

    @Test
    void aBatchOverTwoGibibytesIsRefusedWithTheBatchSizeToChange() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new BatchBuffers(new DataSpec(new long[] {3, 1024, 1024}, 10), true, 200));
        assertEquals("a batch of 200 samples of 3145728 values each is over 2 GiB: use a smaller batch-size", e.getMessage());
    }
}
