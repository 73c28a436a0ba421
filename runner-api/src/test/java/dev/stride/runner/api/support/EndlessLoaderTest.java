package dev.stride.runner.api.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stride.runner.api.fixtures.FakeBatch;
import dev.stride.runner.api.fixtures.FakeLoader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndlessLoaderTest {
    @Test
    void wrapsIntoTheNextEpochWithItsOwnOrder() {
        FakeLoader loader = FakeLoader.train(3, 7, 3); // 3 batches: 3, 3, 1 samples
        try (EndlessLoader endless = new EndlessLoader(loader, 0, 0)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int b = 0; b < 3; b++) {
                    try (FakeBatch batch = (FakeBatch) endless.next()) {
                        assertEquals(epoch, batch.epoch());
                        assertEquals(b, batch.index());
                        assertArrayEquals(loader.batchIds(epoch, b), batch.ids());
                        assertEquals(epoch, endless.epoch());
                        assertEquals(b + 1, endless.nextBatch());
                    }
                }
            }
        }
        assertEquals(List.of("e0 b0", "e1 b0", "e2 b0"), loader.opened());
        assertEquals(loader.streamsOpened(), loader.streamsClosed());
        assertFalse(Arrays.equals(FakeLoader.order(3, 0, 7), FakeLoader.order(3, 1, 7)),
                "each epoch is shuffled anew");
    }

    @Test
    void startsAtAGivenPosition() {
        FakeLoader loader = FakeLoader.train(3, 7, 3);
        try (EndlessLoader endless = new EndlessLoader(loader, 4, 2)) {
            FakeBatch b = (FakeBatch) endless.next();
            assertEquals(4, b.epoch());
            assertEquals(2, b.index());
            b = (FakeBatch) endless.next();
            assertEquals(5, b.epoch());
            assertEquals(0, b.index());
        }
        assertEquals(List.of("e4 b2", "e5 b0"), loader.opened());
    }

    @Test
    void aPositionAtTheEndOfAnEpochStartsTheNext() {
        FakeLoader loader = FakeLoader.train(3, 7, 3);
        try (EndlessLoader endless = new EndlessLoader(loader, 1, 3)) {
            FakeBatch b = (FakeBatch) endless.next();
            assertEquals(2, b.epoch());
            assertEquals(0, b.index());
        }
        assertEquals(List.of("e2 b0"), loader.opened());
    }

    @Test
    void aLoaderWithoutBatchesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EndlessLoader(FakeLoader.train(1, 0, 4), 0, 0));
    }
}
