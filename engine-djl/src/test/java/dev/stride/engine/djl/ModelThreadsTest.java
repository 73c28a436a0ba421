package dev.stride.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import dev.stride.engine.djl.model.Djl;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The intra-op threads a model's steps run with, as PyTorch sees them on the stepping thread. */
class ModelThreadsTest {
    private static DjlBatch images(int n) {
        NDManager m = Djl.manager().newSubManager();
        return new DjlBatch(m, m.randomUniform(0, 1, new Shape(n, 1, 8, 8)), m.create(new long[n]), n);
    }

    private static DjlModel convolutional() {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        return DjlModel.builder(net).inputShape(1, 8, 8).classes(3).build();
    }

    private static DjlModel dense() {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build());
        return DjlModel.builder(net).inputShape(1, 8, 8).classes(3).build();
    }

    /**
     * PyTorch gives a thread, at its first parallel op, the count some thread set last: a count set
     * on a fresh thread must survive another thread setting its own in between.
     */
    @Test
    void aThreadKeepsItsCountWhenAnotherThreadSetsOneBeforeItsFirstOp() throws Exception {
        Djl.manager();
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch other = new CountDownLatch(1);
        int[] seen = new int[1];
        Thread t = new Thread(() -> {
            Djl.useThreads(3);
            set.countDown();
            try {
                other.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen[0] = JniUtils.getNumThreads(); // its first op
        });
        t.start();
        set.await();
        Thread o = new Thread(() -> Djl.useThreads(1));
        o.start();
        o.join();
        other.countDown();
        t.join();
        assertEquals(3, seen[0]);
    }

    @Test
    void aConvolutionalModelStepsWithAThreadPerCoreOnTwoCoresAnMlpWithOne() throws Exception {
        int conv = Djl.threadsFor(true);
        int mlp = Djl.threadsFor(false);
        assumeTrue(conv > 0 && mlp > 0, "a machine of 2 cores or fewer, no -Dai.djl.pytorch.num_threads");
        assertEquals(Runtime.getRuntime().availableProcessors(), conv);
        assertEquals(1, mlp);
        // a fresh thread, as a runner's: the counts are PyTorch's per thread
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (DjlModel c = convolutional(); DjlModel d = dense()) {
            thread.submit(() -> {
                try (DjlBatch b = images(4)) {
                    c.valStep(b);
                    assertEquals(conv, JniUtils.getNumThreads(), "after the convolutional model's val step");
                    d.trainStep(b, 1);
                    assertEquals(1, JniUtils.getNumThreads(), "after the MLP's train step");
                    c.infer(b);
                    assertEquals(conv, JniUtils.getNumThreads(), "back for the convolutional model");
                }
                return null;
            }).get();
        } finally {
            thread.shutdown();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
