package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.RunOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Val data split among ranks ({@code Runner.valSplit}): the runner sums its val log buffer over the
 * ranks before the after-val-epoch hooks, so every rank reports the whole val set, as one process
 * validating all of it does. The ranks are threads ({@link ThreadRanks}); the val set is 10 samples
 * of batch 1 (so a batch's loss is a sample's), rank r holding samples 1000 + 5r ... 1004 + 5r.
 */
class ValSplitTest {
    private static final String EPOCHS = "[[train, 1], [val, 1]]";

    @Test
    void anEpochRunnerOfTwoRanksReportsTheWholeValSetOnEveryRank() {
        checkSplit("test-epochs", Map.of("max-epochs", 2), EPOCHS, EPOCHS);
    }

    @Test
    void anIterationRunnerOfTwoRanksReportsTheWholeValSetOnEveryRank() {
        // a val phase counts iterations of each rank: 5 on each of 2 ranks cover the 10 samples
        checkSplit("test-iters", Map.of("max-iters", 4), "[[train, 2], [val, 5]]", "[[train, 2], [val, 10]]");
    }

    private void checkSplit(String runner, Map<String, ?> options, String splitWorkflow, String wholeWorkflow) {
        Harness one = Harness.runner(runner, options).workflow(wholeWorkflow).val(new FakeLoader("val", 3, 10, 1, 1000));
        assertEquals(RunOutcome.COMPLETED, one.run());
        Map<String, Double> whole = one.runner().logBuffer(Mode.VAL).average(0);
        ThreadRanks ranks = new ThreadRanks(2);
        List<Map<String, Double>> split = ranks.run(r -> {
            Harness h = Harness.runner(runner, options).rank(r, ranks, true).workflow(splitWorkflow)
                    .val(new FakeLoader("val", 3, 5, 1, 1000 + 5 * r));
            assertEquals(RunOutcome.COMPLETED, h.run());
            return h.runner().logBuffer(Mode.VAL).average(0);
        });
        assertEquals(split.get(0), split.get(1), "every rank reports the same numbers");
        assertEquals(whole.keySet(), split.get(0).keySet());
        whole.forEach((k, v) -> assertEquals(v, split.get(0).get(k), 1e-12 * Math.abs(v), k));
        // negative control: without the split flag each rank reports its own half
        List<Map<String, Double>> halves = ranks.run(r -> {
            Harness h = Harness.runner(runner, options).rank(r, ranks, false).workflow(splitWorkflow)
                    .val(new FakeLoader("val", 3, 5, 1, 1000 + 5 * r));
            h.run();
            return h.runner().logBuffer(Mode.VAL).average(0);
        });
        assertNotEquals(halves.get(0).get("loss"), halves.get(1).get("loss"));
        assertTrue(Math.abs(halves.get(0).get("loss") - whole.get("loss")) > 1e-6 * whole.get("loss"));
    }

    /**
     * A run checkpointed in the middle of a val epoch by one process, resumed on 2 ranks that split
     * the val data: the entries so far cover the first batches of the whole set, not a rank's share,
     * so the ranks validate that epoch again from its start and report the whole set.
     */
    @Test
    void aValEpochResumedFromTheMiddleRunsAgainFromItsStartWhenSplit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path[] mid = {null};
        Harness one = Harness.runner("test-epochs", Map.of("max-epochs", 2)).in(dir).workflow(EPOCHS)
                .val(new FakeLoader("val", 3, 10, 1, 1000))
                .hook(new dev.stride.runner.api.Hook() {
                    @Override
                    public void afterValIter(dev.stride.runner.api.Runner r) {
                        if (r.epoch() == 1 && r.innerIter() == 3) {
                            mid[0] = r.saveCheckpoint(dir, "mid_val.safetensors");
                        }
                    }
                }, dev.stride.runner.api.Priority.LOWEST);
        List<Map<String, Double>> wholeEpochs = valEpochs(one);
        assertEquals(RunOutcome.COMPLETED, one.run());
        ThreadRanks ranks = new ThreadRanks(2);
        List<List<Map<String, Double>>> resumed = ranks.run(r -> {
            Harness h = Harness.runner("test-epochs", Map.of("max-epochs", 2)).in(dir.resolve("rank" + r)).rank(r, ranks, true)
                    .workflow(EPOCHS).val(new FakeLoader("val", 3, 5, 1, 1000 + 5 * r));
            List<Map<String, Double>> epochs = valEpochs(h);
            h.resume(mid[0]);
            assertEquals(RunOutcome.COMPLETED, h.run());
            return epochs;
        });
        assertEquals(resumed.get(0), resumed.get(1));
        assertEquals(2, resumed.get(0).size(), "the cut val epoch and the next");
        for (int e = 0; e < 2; e++) {
            Map<String, Double> got = resumed.get(0).get(e);
            wholeEpochs.get(e).forEach((k, v) -> assertEquals(v, got.get(k), 1e-12 * Math.abs(v), k));
        }
    }

    /**
     * The iteration runner: a val phase of 3 iterations (crossing the shards' val epochs of 5
     * batches) cut after its second by a checkpoint of rank 0 is run again from its first batch on
     * both ranks, so every val phase of the resumed run equals the straight run's to the bit.
     */
    @Test
    void anIterationRunnersValPhaseResumedFromTheMiddleRunsAgainFromItsFirstBatch(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String workflow = "[[train, 2], [val, 3]]";
        java.nio.file.Path mid = dir.resolve("mid_val.safetensors");
        ThreadRanks ranks = new ThreadRanks(2);
        List<List<Map<String, Double>>> straight = ranks.run(r -> {
            Harness h = Harness.runner("test-iters", Map.of("max-iters", 6)).in(made(dir.resolve("straight" + r)))
                    .rank(r, ranks, true).workflow(workflow).val(new FakeLoader("val", 3, 5, 1, 1000 + 5 * r));
            if (r == 0) {
                h.hook(new dev.stride.runner.api.Hook() {
                    @Override
                    public void afterValIter(dev.stride.runner.api.Runner run) {
                        if (run.iter() == 4 && run.innerIter() == 1) {
                            run.saveCheckpoint(dir, mid.getFileName().toString());
                        }
                    }
                }, dev.stride.runner.api.Priority.LOWEST);
            }
            List<Map<String, Double>> phases = valEpochs(h);
            assertEquals(RunOutcome.COMPLETED, h.run());
            return phases;
        });
        assertEquals(3, straight.get(0).size());
        List<List<Map<String, Double>>> resumed = ranks.run(r -> {
            Harness h = Harness.runner("test-iters", Map.of("max-iters", 6)).in(made(dir.resolve("resumed" + r)))
                    .rank(r, ranks, true).workflow(workflow).val(new FakeLoader("val", 3, 5, 1, 1000 + 5 * r));
            List<Map<String, Double>> phases = valEpochs(h);
            h.resume(mid);
            assertEquals(RunOutcome.COMPLETED, h.run());
            return phases;
        });
        assertEquals(straight.get(0).subList(1, 3), resumed.get(0), "the cut second phase and the third");
        assertEquals(resumed.get(0), resumed.get(1));
    }

    private static java.nio.file.Path made(java.nio.file.Path dir) {
        try {
            return java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The val averages of every val epoch of the harness's run, as the after-val-epoch hooks see them. */
    private static List<Map<String, Double>> valEpochs(Harness h) {
        List<Map<String, Double>> out = new java.util.ArrayList<>();
        h.hook(new dev.stride.runner.api.Hook() {
            @Override
            public void afterValEpoch(dev.stride.runner.api.Runner r) {
                out.add(r.logBuffer(Mode.VAL).average(0));
            }
        }, dev.stride.runner.api.Priority.LOWEST);
        return out;
    }

    @Test
    void aBufferSummedOverRanksHoldsOneEntryOfEveryRanksSamples() {
        ThreadRanks ranks = new ThreadRanks(3);
        List<LogBuffer> buffers = ranks.run(r -> {
            LogBuffer b = new LogBuffer();
            for (int i = 0; i <= r; i++) {
                b.update("loss", 0.1 * (r + 1) + i, 4 + r); // rank r: r + 1 entries of 4 + r samples
                b.update("correct", 3 + i, 4 + r);
            }
            b.sumOverRanks(ranks.sum(r));
            return b;
        });
        LogBuffer all = new LogBuffer();
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i <= r; i++) {
                all.update("loss", 0.1 * (r + 1) + i, 4 + r);
                all.update("correct", 3 + i, 4 + r);
            }
        }
        for (LogBuffer b : buffers) {
            assertEquals(buffers.get(0).average(0), b.average(0));
            assertEquals(all.average(0).get("loss"), b.average(0).get("loss"), 1e-12);
            assertEquals(all.average(0).get("correct"), b.average(0).get("correct"), 1e-12);
            assertEquals(1, b.count("loss"), "one entry");
            assertEquals(b.average(0).get("loss"), b.latest("loss"));
            assertEquals(b.average(1), b.average(0));
            assertTrue(b.isWhole("correct") && !b.isWhole("loss"), "whole counts stay whole, fractions fractions");
        }
    }

    @Test
    void ranksThatLoggedDifferentKeysAreToldSoOnEveryRank() {
        ThreadRanks ranks = new ThreadRanks(2);
        List<String> said = ranks.run(r -> {
            LogBuffer b = new LogBuffer();
            b.update("loss", 1, 1);
            b.update(r == 0 ? "accuracy" : "acc", 1, 1);
            return assertThrows(IllegalStateException.class, () -> b.sumOverRanks(ranks.sum(r))).getMessage();
        });
        assertTrue(said.get(0).contains("the 2 ranks logged different keys") && said.get(0).contains("[accuracy, loss]"),
                said.get(0));
        assertTrue(said.get(1).contains("different keys") && said.get(1).contains("[acc, loss]"), said.get(1));
    }

    @Test
    void aRankThatFailsReleasesTheOthersAtOnceAndIsTheOneReported() {
        ThreadRanks ranks = new ThreadRanks(2);
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ranks.run(r -> {
            if (r == 1) {
                try {
                    Thread.sleep(200); // rank 0 is already waiting in its sum
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalArgumentException("rank 1's own failure");
            }
            ranks.sum(r).accept(new double[1]);
            return r;
        }));
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "not the 30 s timeout");
        assertTrue(e.getMessage().startsWith("rank 1 failed first") && e.getCause().getMessage().equals("rank 1's own failure"),
                e.getMessage());
        assertEquals(List.of(0, 1), ranks.run(r -> {
            ranks.sum(r).accept(new double[] {r});
            return r;
        }), "the next run sums again");
    }

    @Test
    void sumsOfArraysOfDifferentLengthsFail() {
        ThreadRanks ranks = new ThreadRanks(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ranks.run(r -> {
                    ranks.sum(r).accept(new double[r + 1]);
                    return r;
                }));
        assertTrue(e.getCause().getMessage().contains("summed"), e.getCause().getMessage());
    }
}
