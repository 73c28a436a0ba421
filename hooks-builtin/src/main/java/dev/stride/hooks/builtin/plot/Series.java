package dev.stride.hooks.builtin.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * The points of one curve in bounded memory: at most {@link #CAPACITY} points are kept; when full,
 * neighbours are averaged in pairs and each later point averages twice as many raw values. A run
 * of any length thus plots as at most a few thousand points, as smooth as the image can show.
 */
final class Series {
    static final int CAPACITY = 1024;

    private final double[] xs = new double[CAPACITY];
    private final double[] ys = new double[CAPACITY];
    private int size;
    private int bucket = 1;
    private double sumX;
    private double sumY;
    private int pending;

    /** Adds a raw value; non-finite ones are left out. */
    void add(double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return;
        }
        sumX += x;
        sumY += y;
        pending++;
        if (pending >= bucket) {
            push(sumX / pending, sumY / pending);
            sumX = 0;
            sumY = 0;
            pending = 0;
        }
    }

    private void push(double x, double y) {
        if (size == CAPACITY) {
            for (int i = 0; i < CAPACITY / 2; i++) {
                xs[i] = (xs[2 * i] + xs[2 * i + 1]) / 2;
                ys[i] = (ys[2 * i] + ys[2 * i + 1]) / 2;
            }
            size = CAPACITY / 2;
            bucket *= 2;
        }
        xs[size] = x;
        ys[size] = y;
        size++;
    }

    boolean isEmpty() {
        return size == 0 && pending == 0;
    }

    /** The points to draw, {x, y} each, the values not yet averaged into a point included as one. */
    List<double[]> points() {
        List<double[]> p = new ArrayList<>(size + 1);
        for (int i = 0; i < size; i++) {
            p.add(new double[] {xs[i], ys[i]});
        }
        if (pending > 0) {
            p.add(new double[] {sumX / pending, sumY / pending});
        }
        return p;
    }

    /** A compact text form for checkpoints; floats are precise enough for a picture. */
    String encode() {
        StringBuilder sb = new StringBuilder();
        sb.append(bucket).append(';').append(pending).append(';').append(sumX).append(';').append(sumY);
        for (int i = 0; i < size; i++) {
            sb.append(';').append((float) xs[i]).append(':').append((float) ys[i]);
        }
        return sb.toString();
    }

    static Series decode(String text) {
        String[] parts = text.split(";");
        Series s = new Series();
        s.bucket = Integer.parseInt(parts[0]);
        s.pending = Integer.parseInt(parts[1]);
        s.sumX = Double.parseDouble(parts[2]);
        s.sumY = Double.parseDouble(parts[3]);
        for (int i = 4; i < parts.length && s.size < CAPACITY; i++) {
            int colon = parts[i].indexOf(':');
            s.xs[s.size] = Double.parseDouble(parts[i].substring(0, colon));
            s.ys[s.size] = Double.parseDouble(parts[i].substring(colon + 1));
            s.size++;
        }
        return s;
    }
}
