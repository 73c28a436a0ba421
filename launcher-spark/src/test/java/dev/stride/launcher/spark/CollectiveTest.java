package dev.stride.launcher.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** XGBoost's collective with two ranks on threads of this JVM (its communicator is per thread). */
class CollectiveTest {
    @Test
    void twoRanksSumExactly() throws Exception {
        try (Tracker tracker = Tracker.start(2, "127.0.0.1", Duration.ofSeconds(30))) {
            Map<String, Object> args = tracker.workerArgs();
            CompletableFuture<float[]> other = CompletableFuture.supplyAsync(() -> sumOnce(args, 1, new float[] {1f, 2f, 3f}));
            float[] mine = sumOnce(args, 0, new float[] {0.5f, -2f, 1e-7f});
            assertArrayEquals(new float[] {1.5f, 0f, 3f + 1e-7f}, mine);
            assertArrayEquals(mine, other.get(30, TimeUnit.SECONDS));
        }
    }

    /** Several parts (a model's gradients, views of their own memory) go in one allreduce and each gets its own sums back. */
    @Test
    void partsAreSummedInOneAllreduceAndWrittenBackInPlace() throws Exception {
        try (Tracker tracker = Tracker.start(2, "127.0.0.1", Duration.ofSeconds(30))) {
            Map<String, Object> args = tracker.workerArgs();
            CompletableFuture<float[][]> other = CompletableFuture.supplyAsync(
                    () -> sumParts(args, 1, new float[][] {{1f, 2f}, {}, {3f, 4f, 5f}}));
            float[][] mine = sumParts(args, 0, new float[][] {{10f, 20f}, {}, {30f, 40f, 50f}});
            assertArrayEquals(new float[] {11f, 22f}, mine[0]);
            assertArrayEquals(new float[] {33f, 44f, 55f}, mine[2]);
            float[][] theirs = other.get(30, TimeUnit.SECONDS);
            assertArrayEquals(mine[0], theirs[0]);
            assertArrayEquals(mine[2], theirs[2]);
        }
    }

    /** The parts as direct buffers, as an engine's gradients are; returns what they hold after the sum. */
    private static float[][] sumParts(Map<String, Object> args, int rank, float[][] parts) {
        java.util.List<java.nio.FloatBuffer> views = new java.util.ArrayList<>();
        for (float[] p : parts) {
            java.nio.FloatBuffer b = java.nio.ByteBuffer.allocateDirect(Math.max(4, p.length * 4))
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            b.put(p).flip();
            views.add(b);
        }
        try (Collective c = Collective.join(args, rank, 2, Duration.ofSeconds(30), () -> { })) {
            c.sum(views);
        }
        float[][] out = new float[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = new float[parts[i].length];
            views.get(i).duplicate().get(out[i]);
        }
        return out;
    }

    @Test
    void aRankThatNeverAnswersMakesTheOtherGiveUpWithinTheTimeout() throws Exception {
        CountDownLatch joined = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (Tracker tracker = Tracker.start(2, "127.0.0.1", Duration.ofSeconds(30))) {
            Map<String, Object> args = tracker.workerArgs();
            Thread silent = new Thread(() -> {
                Collective c = Collective.join(args, 1, 2, Duration.ofSeconds(30), () -> { });
                try {
                    joined.countDown();
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    c.close();
                }
            });
            silent.setDaemon(true);
            silent.start();
            // both ranks join with a generous timeout (a loaded machine may take seconds to load XGBoost and meet);
            // only the sum, which the silent rank never joins, waits the short one
            try (Collective c = Collective.join(args, 0, 2, Duration.ofSeconds(30), () -> { })) {
                assertTrue(joined.await(30, TimeUnit.SECONDS));
                shortenTimeout(c, Duration.ofMillis(1500));
                long start = System.nanoTime();
                CollectiveException e = assertThrows(CollectiveException.class, () -> c.sum(new float[] {1f}));
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(e.getMessage().contains("within dist.timeout"), e.getMessage());
                assertTrue(seconds >= 1.4 && seconds < 10, "gave up after " + seconds + " s");
                assertThrows(CollectiveException.class, () -> c.sum(new float[] {1f}), "a broken collective stays broken");
            } finally {
                done.countDown();
            }
        }
    }

    /**
     * Sets the timeout the collective's calls wait from now on (a test cannot join with one timeout and
     * sum with another otherwise: {@code dist.timeout} is both).
     */
    private static void shortenTimeout(Collective c, Duration timeout) throws ReflectiveOperationException {
        Field f = Collective.class.getDeclaredField("timeout");
        f.setAccessible(true);
        f.set(c, timeout);
        assertEquals(timeout, f.get(c));
    }

    @Test
    void aKilledTaskStopsWaitingAtOnce() throws Exception {
        try (Tracker tracker = Tracker.start(2, "127.0.0.1", Duration.ofSeconds(30))) {
            Map<String, Object> args = tracker.workerArgs();
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Collective.join(args, 0, 2,
                    Duration.ofSeconds(60), () -> {
                        if (System.nanoTime() - start > 300_000_000L) {
                            throw new IllegalStateException("killed");
                        }
                    }));
            assertTrue(e.getMessage().equals("killed"));
            assertTrue((System.nanoTime() - start) / 1e9 < 5);
        }
    }

    private static float[] sumOnce(Map<String, Object> args, int rank, float[] values) {
        try (Collective c = Collective.join(args, rank, 2, Duration.ofSeconds(30), () -> { })) {
            c.sum(values);
            return values;
        }
    }
}
