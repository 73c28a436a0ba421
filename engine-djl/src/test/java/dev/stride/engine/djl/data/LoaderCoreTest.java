package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loader core with several workers: order kept, errors surface at their batch, early close stops the threads. */
class LoaderCoreTest {
    /** Sample i holds the value i; reading sample {@code failAt} fails; reading is slow for early samples so threads overtake. */
    static final class Numbers implements Samples {
        final int count;
        final int failAt;
        final AtomicInteger reads = new AtomicInteger();
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Numbers(int count, int failAt) {
            this.count = count;
            this.failAt = failAt;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public DataSpec spec() {
            return new DataSpec(new long[] {1}, 1);
        }

        @Override
        public boolean read(int index, long epoch, BatchBuffers batch) {
            reads.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            if (index == failAt) {
                throw new BadInputException("sample " + index + " is broken");
            }
            if (index % 7 == 0) {
                try {
                    Thread.sleep(2); // an uneven pace, so workers finish out of order
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batch.input(new float[] {index}, 0);
            batch.label(0);
            return true;
        }
    }

    static DjlDataLoader loader(Samples s, int workers, int prefetch) {
        return new DjlDataLoader(s, new LoaderOptions(5, false, false, prefetch, workers, 0, 1), 1);
    }

    @Test
    void batchesArriveInOrderWhateverTheWorkers() {
        List<float[]> got = new ArrayList<>();
        try (BatchStream s = loader(new Numbers(203, -1), 4, 6).open(0, 0)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    got.add(((DjlBatch) b).x().toFloatArray());
                }
            }
        }
        assertEquals(41, got.size());
        for (int i = 0; i < got.size(); i++) {
            float[] want = new float[got.get(i).length];
            for (int k = 0; k < want.length; k++) {
                want[k] = i * 5 + k;
            }
            assertArrayEquals(want, got.get(i), "batch " + i);
        }
    }

    @Test
    void aFailingSampleSurfacesAtItsBatchAfterTheBatchesBeforeIt() {
        int delivered = 0;
        try (BatchStream s = loader(new Numbers(100, 37), 3, 5).open(0, 0)) {
            BadInputException e = null;
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    delivered++;
                } catch (BadInputException x) {
                    e = x;
                    break;
                }
            }
            assertTrue(e != null && e.getMessage().equals("sample 37 is broken"), String.valueOf(e));
        }
        assertEquals(7, delivered, "batches 0..6 come first; batch 7 holds sample 37");
    }

    @Test
    void closingEarlyStopsBuildingAhead() {
        Numbers n = new Numbers(10_000, -1);
        try (BatchStream s = loader(n, 2, 4).open(0, 0)) {
            s.next().close();
        }
        int after = n.reads.get();
        assertTrue(after <= 5 * 6, "at most the batch taken and those in flight were read: " + after);
        assertThrows(java.util.NoSuchElementException.class, () -> {
            BatchStream s = loader(n, 2, 4).open(0, 2000);
            s.close();
            s.next();
        });
    }

    /** Waits (at most 10 s) until {@code n} reached {@code reads} samples read, then a little more for any beyond. */
    private static int settled(Numbers n, int reads) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (n.reads.get() < reads && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(100);
        return n.reads.get();
    }

    @Test
    void theQueueIsToppedUpOnceItIsDownToHalfItsDepth() throws InterruptedException {
        Numbers n = new Numbers(10_000, -1); // batches of 5
        try (BatchStream s = loader(n, 1, 8).open(0, 0)) {
            assertEquals(8 * 5, settled(n, 8 * 5), "8 batches built ahead at the start");
            s.next().close();
            s.next().close();
            s.next().close();
            assertEquals(8 * 5, settled(n, 8 * 5), "5 left of 8: no batch asked for yet");
            s.next().close(); // 4 left: topped up to 8
            assertEquals(12 * 5, settled(n, 12 * 5), "4 taken, 8 ahead");
        }
    }

    @Test
    void theBuildingThreadsLastFromEpochToEpochAndNothingRunsAfterClose() throws InterruptedException {
        Numbers n = new Numbers(60, -1);
        DjlDataLoader loader = loader(n, 1, 2);
        for (int epoch = 0; epoch < 3; epoch++) {
            try (BatchStream s = loader.open(epoch, 0)) {
                s.next().close(); // closed early, with batches under way or built
            }
            int after = n.reads.get();
            Thread.sleep(50);
            assertEquals(after, n.reads.get(), "a closed stream builds nothing more (epoch " + epoch + ")");
        }
        assertEquals(1, n.threads.size(), "one building thread for the three epochs: " + n.threads);
        assertTrue(n.threads.iterator().next().startsWith("stride-data-"), n.threads.toString());
    }

    @Test
    void prefetchAutoIsSizedByTheBatchesBytes() {
        assertEquals(16, LoaderOptions.autoPrefetch(new DataSpec(new long[] {1, 28, 28}, 10), 64), "MNIST: 200 KB batches");
        assertEquals(2, LoaderOptions.autoPrefetch(new DataSpec(new long[] {3, 224, 224}, 1000), 64), "38 MB batches");
        assertEquals(6, LoaderOptions.autoPrefetch(new DataSpec(new long[] {3, 224, 224}, 1000), 4), "2.4 MB batches");
        com.typesafe.config.Config base = com.typesafe.config.ConfigFactory.parseString(
                "batch-size = 5, shuffle = false, drop-last = false, shard = 0, shards = 1");
        assertEquals(LoaderOptions.AUTO, LoaderOptions.of(com.typesafe.config.ConfigFactory.parseString("prefetch = auto")
                .withFallback(base)).prefetch());
        assertEquals(3, LoaderOptions.of(com.typesafe.config.ConfigFactory.parseString("prefetch = 3").withFallback(base)).prefetch());
        BadInputException e = assertThrows(BadInputException.class, () -> LoaderOptions.of(
                com.typesafe.config.ConfigFactory.parseString("prefetch = lots").withFallback(base)));
        assertTrue(e.getMessage().contains("prefetch: 'lots': use auto or a number of batches 0..64"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> LoaderOptions.of(
                com.typesafe.config.ConfigFactory.parseString("prefetch = 65").withFallback(base)));
        assertTrue(e.getMessage().contains("prefetch: 65 is outside 0..64"), e.getMessage());
    }
}
