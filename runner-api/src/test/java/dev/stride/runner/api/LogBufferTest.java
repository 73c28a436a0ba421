package dev.stride.runner.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogBufferTest {
    @Test
    void averagesAreWeightedBySampleCount() {
        LogBuffer b = new LogBuffer();
        b.update("loss", 1.0, 1);
        b.update("loss", 4.0, 3);
        assertEquals((1.0 + 12.0) / 4, b.average(0).get("loss"), 0.0);
        assertEquals((1.0 + 12.0) / 4, b.average(-1).get("loss"), 0.0);
        assertEquals(4.0, b.average(1).get("loss"), 0.0);
        assertEquals((1.0 + 12.0) / 4, b.average(2).get("loss"), 0.0);
        assertEquals((1.0 + 12.0) / 4, b.average(100).get("loss"), 0.0);
        assertEquals(4.0, b.latest("loss"), 0.0);
        assertEquals(2, b.count("loss"));
        assertTrue(Double.isNaN(b.latest("acc")));
        assertEquals(0, b.count("acc"));
    }

    /** Counts print as integers; an accuracy of 1.0 at every step is still a fraction. */
    @Test
    void wholeValuesBeyondZeroAndOneAreCounts() {
        LogBuffer b = new LogBuffer();
        b.update("live_tensors", 38, 1);
        b.update("live_tensors", 40, 1);
        b.update("accuracy", 1.0, 30);
        b.update("accuracy", 1.0, 30);
        b.update("zeros", 0.0, 1);
        b.update("loss", 2.0, 1);
        b.update("loss", 0.5, 1);
        assertTrue(b.isWhole("live_tensors"));
        assertFalse(b.isWhole("accuracy"), "1.0 at every step: a fraction at its bound");
        assertFalse(b.isWhole("zeros"));
        assertFalse(b.isWhole("loss"));
    }

    @Test
    void stepOutputsAreWeightedByTheirSamples() {
        LogBuffer b = new LogBuffer();
        b.update(new StepOutput(Map.of("loss", 2.0, "accuracy", 0.5), 10));
        b.update(new StepOutput(Map.of("loss", 1.0, "accuracy", 1.0), 30));
        Map<String, Double> avg = b.average(0);
        assertEquals((20.0 + 30.0) / 40, avg.get("loss"), 1e-15);
        assertEquals((5.0 + 30.0) / 40, avg.get("accuracy"), 1e-15);
        assertEquals(1.0, b.average(1).get("loss"), 0.0);
    }

    @Test
    void averageOfTheLastN() {
        LogBuffer b = new LogBuffer();
        for (int i = 1; i <= 10; i++) {
            b.update("x", i, i % 3 + 1);
        }
        for (int n = 1; n <= 10; n++) {
            double sum = 0;
            double cnt = 0;
            for (int i = 11 - n; i <= 10; i++) {
                sum += (double) i * (i % 3 + 1);
                cnt += i % 3 + 1;
            }
            assertEquals(sum / cnt, b.average(n).get("x"), 1e-12, "n = " + n);
        }
    }

    @Test
    void keysWithoutEntriesAreNotAveragedAndClearForgetsAll() {
        LogBuffer b = new LogBuffer();
        b.update("a", 1, 1);
        b.putOutput("accuracy", 0.9);
        b.clear();
        assertTrue(b.average(0).isEmpty());
        assertFalse(b.hasOutput());
        assertEquals(0, b.count("a"));
    }

    @Test
    void moreEntriesThanRetained() {
        int total = LogBuffer.RETAINED + 904;
        assertEquals(4096, LogBuffer.RETAINED);
        LogBuffer b = new LogBuffer();
        double allSum = 0;
        long allCount = 0;
        double[] v = new double[total];
        int[] c = new int[total];
        Random r = new Random(1);
        for (int i = 0; i < total; i++) {
            v[i] = r.nextDouble();
            c[i] = 1 + r.nextInt(5);
            b.update("loss", v[i], c[i]);
            allSum += v[i] * c[i];
            allCount += c[i];
        }
        assertEquals(total, b.count("loss"));
        assertEquals(v[total - 1], b.latest("loss"), 0.0);
        assertEquals(allSum / allCount, b.average(0).get("loss"), 1e-12, "the overall average covers every entry");
        assertEquals(allSum / allCount, b.average(total).get("loss"), 1e-12);
        for (int n : new int[] {1, 7, 100, LogBuffer.RETAINED}) {
            assertEquals(lastN(v, c, n), b.average(n).get("loss"), 1e-12, "n = " + n);
        }
        // more than retained but fewer than added: the last RETAINED entries
        assertEquals(lastN(v, c, LogBuffer.RETAINED), b.average(LogBuffer.RETAINED + 10).get("loss"), 1e-12);
    }

    private static double lastN(double[] v, int[] c, int n) {
        double s = 0;
        long k = 0;
        for (int i = v.length - n; i < v.length; i++) {
            s += v[i] * c[i];
            k += c[i];
        }
        return s / k;
    }

    private static LogBuffer reload(LogBuffer b) {
        Checkpoint ck = new Checkpoint();
        b.saveState(ck.section("log.train.", ""));
        return load(ck);
    }

    private static LogBuffer load(Checkpoint ck) {
        LogBuffer copy = new LogBuffer();
        copy.update("stale", 1, 1);
        copy.loadState(ck.section("log.train.", ""));
        return copy;
    }

    @Test
    void saveAndLoadGiveEqualAverages(@TempDir Path dir) {
        for (int total : new int[] {1, 5, LogBuffer.RETAINED, LogBuffer.RETAINED + 1, 2 * LogBuffer.RETAINED + 333}) {
            LogBuffer b = new LogBuffer();
            Random r = new Random(total);
            for (int i = 0; i < total; i++) {
                b.update("loss", r.nextGaussian(), 1 + r.nextInt(64));
                if (i % 3 == 0) {
                    b.update("loss.cls", -r.nextDouble() * 1e-300, 2);
                }
            }
            b.putOutput("accuracy", 0.1 + 0.2);

            // in memory, and through a checkpoint file (the metadata goes through JSON)
            Checkpoint ck = new Checkpoint();
            b.saveState(ck.section("log.train.", ""));
            CheckpointFiles.write(dir.resolve("log-" + total + ".safetensors"), ck);
            LogBuffer inMemory = reload(b);
            LogBuffer fromFile = load(CheckpointFiles.read(dir.resolve("log-" + total + ".safetensors")));
            for (LogBuffer copy : List.of(inMemory, fromFile)) {
                assertEquals(0, copy.count("stale"), "loading replaces the buffer");
                for (int n : new int[] {0, 1, 2, 50, LogBuffer.RETAINED, total}) {
                    assertEquals(b.average(n), copy.average(n), "total " + total + ", n " + n);
                }
                assertEquals(b.count("loss"), copy.count("loss"));
                assertEquals(b.latest("loss"), copy.latest("loss"), 0.0);
                assertEquals(b.output(), copy.output());
            }
            // and they keep agreeing as entries are added
            Random more = new Random(99);
            for (int i = 0; i < 500; i++) {
                double x = more.nextDouble();
                b.update("loss", x, 3);
                fromFile.update("loss", x, 3);
            }
            for (int n : new int[] {0, 1, 100, LogBuffer.RETAINED}) {
                assertEquals(b.average(n), fromFile.average(n), "after more updates, total " + total + ", n " + n);
            }
        }
    }

    @Test
    void outputVersionGrowsWithEveryOutput() {
        LogBuffer b = new LogBuffer();
        assertEquals(0, b.outputVersion());
        assertFalse(b.hasOutput());
        b.putOutput("accuracy", 0.5);
        assertEquals(1, b.outputVersion());
        b.putOutput("accuracy", 0.6);
        assertEquals(2, b.outputVersion());
        assertEquals(Map.of("accuracy", 0.6), b.output());
        assertTrue(b.hasOutput());
        b.clearOutput();
        assertFalse(b.hasOutput());
        assertEquals(2, b.outputVersion(), "clearing does not make old results look new");
        b.clear();
        b.putOutput("top5", 0.9);
        assertEquals(3, b.outputVersion());
        Map<String, Double> snapshot = b.output();
        b.putOutput("top1", 0.1);
        assertEquals(Map.of("top5", 0.9), snapshot, "output() is a copy");
    }
}
