package dev.stride.hooks.builtin.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Checkpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTest {
    @Test
    void keepsAtMostCapacityPointsAveragingNeighbours() {
        Series s = new Series();
        int n = 10 * Series.CAPACITY + 3;
        for (int i = 1; i <= n; i++) {
            s.add(i, 2.0 * i);
        }
        List<double[]> p = s.points();
        assertTrue(p.size() <= Series.CAPACITY + 1, "points: " + p.size());
        assertTrue(p.size() > Series.CAPACITY / 2, "points: " + p.size());
        for (double[] xy : p) {
            assertEquals(2 * xy[0], xy[1], 1e-9, "averages of a line stay on it");
        }
        assertEquals(1, p.get(0)[0], 16, "starts near the first value");
        assertEquals(n, p.get(p.size() - 1)[0], 16, "ends near the last value");
    }

    @Test
    void leavesOutNonFiniteValues() {
        Series s = new Series();
        s.add(1, Double.NaN);
        s.add(2, Double.POSITIVE_INFINITY);
        assertTrue(s.isEmpty());
        s.add(3, 1);
        assertEquals(1, s.points().size());
    }

    @Test
    void roundTripsThroughACheckpoint() {
        Curves c = new Curves();
        for (int i = 1; i <= 3000; i++) {
            c.add(Curves.LOSS, "train loss", i, 1.0 / i);
        }
        c.add(Curves.METRICS, "accuracy", 100, 0.5);
        Checkpoint ck = new Checkpoint();
        c.save(ck.section("h.", ""));
        Curves back = new Curves();
        back.load(ck.section("h.", ""));
        List<double[]> a = c.panels().get(Curves.LOSS).get("train loss").points();
        List<double[]> b = back.panels().get(Curves.LOSS).get("train loss").points();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i)[0], b.get(i)[0], Math.abs(a.get(i)[0]) * 1e-6);
            assertEquals(a.get(i)[1], b.get(i)[1], Math.abs(a.get(i)[1]) * 1e-6);
        }
        assertEquals(0.5, back.panels().get(Curves.METRICS).get("accuracy").points().get(0)[1], 0);
    }
}
