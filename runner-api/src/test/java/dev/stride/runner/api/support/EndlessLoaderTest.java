package dev.stride.runner.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndlessLoaderTest {
    /** A batch that knows where it was opened. */
    private record At(long epoch, int index) implements Batch {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public void close() {}
    }

    /** {@code batches} batches per epoch; records every open as {@code e<epoch> b<first>} and counts streams. */
    private static final class Loader implements DataLoader {
        final int batches;
        final List<String> opened = new ArrayList<>();
        int streamsOpened;
        int streamsClosed;

        Loader(int batches) {
            this.batches = batches;
        }

        @Override
        public int batchesPerEpoch() {
            return batches;
        }

        @Override
        public long samples() {
            return batches;
        }

        @Override
        public DataSpec spec() {
            return new DataSpec(new long[] {1}, 2);
        }

        @Override
        public BatchStream open(long epoch, int firstBatch) {
            opened.add("e" + epoch + " b" + firstBatch);
            streamsOpened++;
            return new BatchStream() {
                private int next = firstBatch;

                @Override
                public boolean hasNext() {
                    return next < batches;
                }

                @Override
                public Batch next() {
                    return new At(epoch, next++);
                }

                @Override
                public void close() {
                    streamsClosed++;
                }
            };
        }
    }

    @Test
    void wrapsIntoTheNextEpoch() {
        Loader loader = new Loader(3);
        try (EndlessLoader endless = new EndlessLoader(loader, 0, 0)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int b = 0; b < 3; b++) {
                    At batch = (At) endless.next();
                    assertEquals(new At(epoch, b), batch, "the batch of its (epoch, index), opened as such");
                    assertEquals(epoch, endless.epoch());
                    assertEquals(b + 1, endless.nextBatch());
                }
            }
        }
        assertEquals(List.of("e0 b0", "e1 b0", "e2 b0"), loader.opened, "each epoch opened once, from its start");
        assertEquals(loader.streamsOpened, loader.streamsClosed);
    }

    @Test
    void startsAtAGivenPosition() {
        Loader loader = new Loader(3);
        try (EndlessLoader endless = new EndlessLoader(loader, 4, 2)) {
            assertEquals(new At(4, 2), endless.next());
            assertEquals(new At(5, 0), endless.next());
        }
        assertEquals(List.of("e4 b2", "e5 b0"), loader.opened);
    }

    @Test
    void aPositionAtTheEndOfAnEpochStartsTheNext() {
        Loader loader = new Loader(3);
        try (EndlessLoader endless = new EndlessLoader(loader, 1, 3)) {
            assertEquals(new At(2, 0), endless.next());
        }
        assertEquals(List.of("e2 b0"), loader.opened);
    }

    @Test
    void aLoaderWithoutBatchesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EndlessLoader(new Loader(0), 0, 0));
    }
}
