package dev.stride.launcher.spark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * {@code sweep.png}: the trials' curves side by side, one colour per trial: train loss by
 * iteration, and val accuracy by iteration when the runs validated. Plain Java2D, headless.
 */
final class SweepChart {
    /** The file name in the sweep's work dir. */
    static final String FILE = "sweep.png";
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final int PANEL_W = 560;
    private static final int PANEL_H = 380;
    private static final int MARGIN = 60;

    private SweepChart() {}

    static Path write(Path dir, List<TrialResult> results) {
        System.setProperty("java.awt.headless", "true");
        boolean val = results.stream().anyMatch(r -> !r.curves().valAccuracy().isEmpty());
        int panels = val ? 2 : 1;
        int legend = 22 * results.size() + 20;
        BufferedImage img = new BufferedImage(panels * PANEL_W, PANEL_H + legend, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        panel(g, 0, "train loss", results, r -> r.curves().trainLoss());
        if (val) {
            panel(g, PANEL_W, "val accuracy", results, r -> r.curves().valAccuracy());
        }
        for (int i = 0; i < results.size(); i++) {
            int y = PANEL_H + 18 + 22 * i;
            g.setColor(color(i));
            g.fillRect(MARGIN, y - 9, 24, 4);
            g.setColor(Color.BLACK);
            g.drawString(results.get(i).trial().name(), MARGIN + 32, y);
        }
        g.dispose();
        Path file = dir.resolve(FILE);
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void panel(Graphics2D g, int x0, String title, List<TrialResult> results,
            Function<TrialResult, TreeMap<Long, Double>> curve) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (TrialResult r : results) {
            for (Map.Entry<Long, Double> e : curve.apply(r).entrySet()) {
                if (Double.isFinite(e.getValue())) {
                    minX = Math.min(minX, e.getKey());
                    maxX = Math.max(maxX, e.getKey());
                    minY = Math.min(minY, e.getValue());
                    maxY = Math.max(maxY, e.getValue());
                }
            }
        }
        int left = x0 + MARGIN;
        int right = x0 + PANEL_W - 20;
        int top = 30;
        int bottom = PANEL_H - 40;
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, x0 + (PANEL_W - fm.stringWidth(title)) / 2, 18);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString("iteration", (left + right - fm.stringWidth("iteration")) / 2, PANEL_H - 8);
        if (minX > maxX) {
            g.drawString("no data", left + 10, top + 20);
            return;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + 1e-9 + Math.abs(minY) * 0.01;
        }
        for (int t = 0; t <= 4; t++) {
            double vy = minY + (maxY - minY) * t / 4;
            int py = bottom - (int) Math.round((bottom - top) * t / 4.0);
            String label = String.format(Locale.ROOT, "%.3g", vy);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, py, right - 1, py);
            g.setColor(Color.BLACK);
            g.drawString(label, left - 6 - fm.stringWidth(label), py + 4);
            double vx = minX + (maxX - minX) * t / 4;
            int px = left + (int) Math.round((right - left) * t / 4.0);
            String xl = String.format(Locale.ROOT, "%.0f", vx);
            g.drawString(xl, px - fm.stringWidth(xl) / 2, bottom + 16);
        }
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < results.size(); i++) {
            g.setColor(color(i));
            int[] last = null;
            for (Map.Entry<Long, Double> e : curve.apply(results.get(i)).entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    continue;
                }
                int px = left + (int) Math.round((e.getKey() - minX) / (maxX - minX) * (right - left));
                int py = bottom - (int) Math.round((e.getValue() - minY) / (maxY - minY) * (bottom - top));
                if (last != null) {
                    g.drawLine(last[0], last[1], px, py);
                } else {
                    g.fillOval(px - 2, py - 2, 4, 4);
                }
                last = new int[] {px, py};
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }
}
