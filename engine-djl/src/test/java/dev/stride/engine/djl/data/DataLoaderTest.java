package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.engine.djl.DjlBatch;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.spi.ProviderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of an epoch is a pure function of (seed, epoch); starting at batch k skips nothing else. */
class DataLoaderTest {
    static Config options(String hocon, DatasetProviderHolder p) {
        return ConfigFactory.parseString(hocon).withFallback(ProviderRegistry.defaults(ProviderKind.DATASET, p.provider));
    }

    record DatasetProviderHolder(dev.stride.runner.api.spi.DatasetProvider provider) {}

    static DataLoader synthetic(String hocon, long seed) {
        DatasetProviderHolder p = new DatasetProviderHolder(new SyntheticProvider());
        return p.provider.create(options(hocon, p), Mode.TRAIN, seed);
    }

    static List<long[]> labels(DataLoader loader, long epoch, int first) {
        List<long[]> out = new ArrayList<>();
        try (BatchStream s = loader.open(epoch, first)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    out.add(((DjlBatch) b).y().toLongArray());
                }
            }
        }
        return out;
    }

    @Test
    void epochOrderIsAPureFunctionOfSeedAndEpoch() {
        int[] a = EpochOrder.of(1000, true, 42, 3);
        assertArrayEquals(a, EpochOrder.of(1000, true, 42, 3));
        assertFalse(Arrays.equals(a, EpochOrder.of(1000, true, 42, 4)), "each epoch is shuffled anew");
        assertFalse(Arrays.equals(a, EpochOrder.of(1000, true, 43, 3)), "the seed changes the order");
        Set<Integer> seen = new HashSet<>();
        for (int i : a) {
            seen.add(i);
        }
        assertEquals(1000, seen.size(), "a permutation");
        int[] plain = EpochOrder.of(5, false, 42, 3);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, plain);
    }

    @Test
    void startingAtBatchKGivesTheSameBatchesAsSkippingK() {
        DataLoader loader = synthetic("size = 100, batch-size = 8, shuffle = true, num-classes = 50, shape = [3]", 5);
        assertEquals(13, loader.batchesPerEpoch());
        List<long[]> all = labels(loader, 2, 0);
        List<long[]> tail = labels(loader, 2, 9);
        assertEquals(4, tail.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(all.get(9 + i), tail.get(i));
        }
        assertEquals(4, all.get(12).length, "the last batch is smaller");
        assertTrue(labels(loader, 2, 13).isEmpty());
    }

    @Test
    void prefetchingKeepsTheOrder() {
        String base = "size = 200, batch-size = 7, shuffle = true, num-classes = 50, shape = [2, 2], ";
        List<long[]> a = labels(synthetic(base + "prefetch = 0", 9), 1, 0);
        List<long[]> b = labels(synthetic(base + "prefetch = 3", 9), 1, 0);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
    }

    @Test
    void dropLastDropsTheShortBatch() {
        DataLoader loader = synthetic("size = 100, batch-size = 8, drop-last = true, shape = [1]", 1);
        assertEquals(12, loader.batchesPerEpoch());
        assertEquals(12, labels(loader, 0, 0).size());
    }

    @Test
    void mnistLabelsOutsideTheClassCountAreNamed() {
        DatasetProviderHolder p = new DatasetProviderHolder(new MnistIdxProvider());
        BadInputException e = assertThrows(BadInputException.class, () -> p.provider.create(
                options("root = \"../data/mnist-10k\", num-classes = 3, limit = 50", p), Mode.TRAIN, 1));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz") && e.getMessage().contains("outside 0..2"),
                e.getMessage());
    }

    @Test
    void shardsTogetherSeeTheBatchesOfOneLoaderWithTheGlobalBatchSize() {
        String base = "size = 103, shape = [2], num-classes = 50, shuffle = true, prefetch = 0, ";
        DataLoader whole = synthetic(base + "batch-size = 12", 8);
        DataLoader a = synthetic(base + "batch-size = 6, shard = 0, shards = 2", 8);
        DataLoader b = synthetic(base + "batch-size = 6, shard = 1, shards = 2", 8);
        assertEquals(9, whole.batchesPerEpoch());
        assertEquals(9, a.batchesPerEpoch(), "the last global batch of 7 is split 3 + 4");
        List<long[]> w = labels(whole, 3, 0);
        List<long[]> x = labels(a, 3, 0);
        List<long[]> y = labels(b, 3, 0);
        for (int i = 0; i < w.size(); i++) {
            long[] joined = new long[x.get(i).length + y.get(i).length];
            System.arraycopy(x.get(i), 0, joined, 0, x.get(i).length);
            System.arraycopy(y.get(i), 0, joined, x.get(i).length, y.get(i).length);
            assertArrayEquals(w.get(i), joined, "batch " + i);
        }
        assertEquals(3, x.get(8).length);
        assertEquals(4, y.get(8).length);
    }
}
