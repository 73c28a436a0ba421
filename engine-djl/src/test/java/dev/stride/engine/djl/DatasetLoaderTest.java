package dev.stride.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import dev.stride.engine.djl.model.Djl;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Any DJL RandomAccessDataset as a Stride loader: Stride's order, O(1) resume, shards, threads, labels of both kinds. */
class DatasetLoaderTest {
    private static final NDManager MANAGER = Djl.manager().newSubManager();
    private static final DataSpec SPEC = new DataSpec(new long[] {2, 3}, 7);

    @AfterAll
    static void free() {
        MANAGER.close();
    }

    /** 103 records: record i holds the value i six times (as float64) and the label i % 7 (as int32). */
    static ArrayDataset arrays() {
        double[] x = new double[103 * 6];
        int[] y = new int[103];
        for (int i = 0; i < 103; i++) {
            java.util.Arrays.fill(x, i * 6, i * 6 + 6, i);
            y[i] = i % 7;
        }
        NDArray xs = MANAGER.create(x, new Shape(103, 6));
        NDArray ys = MANAGER.create(y);
        return new ArrayDataset.Builder().setData(xs).optLabels(ys).setSampling(1, false).build();
    }

    /** Per batch: the record indices (read back from the inputs), checked against their labels and shape. */
    static List<int[]> records(DataLoader loader, long epoch, int first) {
        List<int[]> out = new ArrayList<>();
        try (BatchStream s = loader.open(epoch, first)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    DjlBatch d = (DjlBatch) b;
                    assertEquals(new Shape(b.size(), 2, 3), d.x().getShape());
                    assertEquals(DataType.FLOAT32, d.x().getDataType());
                    assertEquals(DataType.INT64, d.y().getDataType());
                    float[] x = d.x().toFloatArray();
                    long[] y = d.y().toLongArray();
                    int[] ids = new int[b.size()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = (int) x[i * 6];
                        assertEquals(ids[i] % 7, y[i], "the label travels with its record");
                    }
                    out.add(ids);
                }
            }
        }
        return out;
    }

    @Test
    void theOrderIsAPureFunctionOfSeedAndEpochAndAResumeStartsAtItsBatch() {
        DataLoader a = DatasetLoader.of(arrays(), SPEC, 10, true, 4);
        assertEquals(11, a.batchesPerEpoch());
        assertEquals(103, a.samples());
        List<int[]> e2 = records(a, 2, 0);
        Set<Integer> seen = new HashSet<>();
        e2.forEach(ids -> java.util.Arrays.stream(ids).forEach(seen::add));
        assertEquals(103, seen.size(), "every record once per epoch");
        List<int[]> again = records(DatasetLoader.builder(arrays(), SPEC).batchSize(10).shuffle(true).seed(4).workers(3).prefetch(4)
                .build(), 2, 0);
        List<int[]> tail = records(a, 2, 6);
        for (int i = 0; i < e2.size(); i++) {
            assertArrayEquals(e2.get(i), again.get(i), "same seed and epoch, another loader with 3 threads: batch " + i);
        }
        for (int i = 0; i < tail.size(); i++) {
            assertArrayEquals(e2.get(6 + i), tail.get(i));
        }
        assertTrue(!java.util.Arrays.equals(e2.get(0), records(a, 3, 0).get(0)), "each epoch is shuffled anew");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, records(DatasetLoader.of(arrays(), SPEC, 10, false, 4), 0, 0).get(0));
    }

    @Test
    void shardsTogetherSeeTheGlobalBatches() {
        List<int[]> whole = records(DatasetLoader.of(arrays(), SPEC, 12, true, 8), 1, 0);
        List<int[]> a = records(DatasetLoader.builder(arrays(), SPEC).batchSize(6).shuffle(true).seed(8).shard(0, 2).build(), 1, 0);
        List<int[]> b = records(DatasetLoader.builder(arrays(), SPEC).batchSize(6).shuffle(true).seed(8).shard(1, 2).build(), 1, 0);
        for (int i = 0; i < whole.size(); i++) {
            int[] joined = new int[a.get(i).length + b.get(i).length];
            System.arraycopy(a.get(i), 0, joined, 0, a.get(i).length);
            System.arraycopy(b.get(i), 0, joined, a.get(i).length, b.get(i).length);
            assertArrayEquals(whole.get(i), joined);
        }
    }

    /**
     * 103 samples, batch 4, 5 shards: the last global batch would hold 3 samples, too few to give
     * each shard one; it joins the batch before it, so the shards still see every sample once (as
     * Spark's ranks must when they split the val data) in the same number of batches each.
     */
    @Test
    void aRemainderTooShortForEveryShardJoinsTheLastBatch() {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        int lastBatch = 0;
        for (int shard = 0; shard < 5; shard++) {
            DataLoader l = DatasetLoader.builder(arrays(), SPEC).batchSize(4).shuffle(true).seed(8).shard(shard, 5).build();
            assertEquals(5, l.batchesPerEpoch());
            List<int[]> batches = records(l, 2, 0);
            assertEquals(5, batches.size());
            for (int[] batch : batches) {
                for (int id : batch) {
                    assertTrue(seen.add(id), "sample " + id + " twice");
                }
            }
            lastBatch += batches.get(4).length;
        }
        assertEquals(103, seen.size());
        assertEquals(23, lastBatch, "4 full batches of 20, then 23 samples");
        // drop-last drops them
        int kept = 0;
        for (int shard = 0; shard < 5; shard++) {
            DataLoader l = DatasetLoader.builder(arrays(), SPEC).batchSize(4).dropLast(true).shard(shard, 5).build();
            kept += records(l, 0, 0).stream().mapToInt(b -> b.length).sum();
        }
        assertEquals(100, kept);
    }

    /** A data set of our own that counts the records read. */
    static final class Counting extends RandomAccessDataset {
        final AtomicInteger gets = new AtomicInteger();
        private final long label;

        Counting(long label) {
            super(new Builder().setSampling(1, false));
            this.label = label;
        }

        @Override
        public Record get(NDManager manager, long index) {
            gets.incrementAndGet();
            return new Record(new NDList(manager.create(new float[] {index, index, index, index, index, index})),
                    new NDList(manager.create(label < 0 ? index % 7 : label)));
        }

        @Override
        protected long availableSize() {
            return 50;
        }

        @Override
        public void prepare(Progress progress) {}

        static final class Builder extends BaseBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }

    @Test
    void aResumedEpochReadsOnlyTheRecordsOfTheBatchesItServes() {
        Counting data = new Counting(-1);
        DataLoader loader = DatasetLoader.builder(data, SPEC).batchSize(5).shuffle(true).seed(1).prefetch(0).build();
        try (BatchStream s = loader.open(3, 8); Batch b = s.next()) {
            assertEquals(5, b.size());
        }
        assertEquals(5, data.gets.get(), "batch 8 of epoch 3 alone: 5 records read, none of batches 0..7");
    }

    @Test
    void regressionRecordsGiveFloatTargets() {
        NDArray x = MANAGER.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
        NDArray y = MANAGER.create(new double[] {0.5, -1, 2, 3, 4.25, 5}, new Shape(3, 2));
        ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(1, false).build();
        DataLoader loader = DatasetLoader.of(data, DataSpec.regression(new long[] {2}, 2), 3, false, 0);
        try (BatchStream s = loader.open(0, 0); Batch b = s.next()) {
            DjlBatch d = (DjlBatch) b;
            assertEquals(new Shape(3, 2), d.y().getShape());
            assertEquals(DataType.FLOAT32, d.y().getDataType());
            assertArrayEquals(new float[] {0.5f, -1, 2, 3, 4.25f, 5}, d.y().toFloatArray());
        }
    }

    @Test
    void recordsThatDoNotFitTheSpecAreNamed() {
        DataLoader tooHigh = DatasetLoader.builder(new Counting(9), SPEC).prefetch(0).build();
        BadInputException e = assertThrows(BadInputException.class, () -> records(tooHigh, 0, 0));
        assertTrue(e.getMessage().contains("record 0 has the label 9.0; a classification label is one integer class number in 0..6"),
                e.getMessage());
        DataLoader wrongShape = DatasetLoader.builder(new Counting(1), new DataSpec(new long[] {4}, 7)).build();
        e = assertThrows(BadInputException.class, () -> records(wrongShape, 0, 0));
        assertTrue(e.getMessage().contains("holds an input of shape (6) (6 values), but the DataSpec's sample shape is [4]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder(new Counting(1), SPEC).shard(2, 2).build());
    }
}
