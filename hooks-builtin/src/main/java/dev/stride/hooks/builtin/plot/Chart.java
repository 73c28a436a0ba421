package dev.stride.hooks.builtin.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws curves with plain Java2D: the non-empty panels stacked top to bottom, each with a title,
 * a frame, grid lines at round ticks with labels on both axes, its curves (dots on curves of few
 * points) and a legend.
 */
final class Chart {
    /** Matplotlib's first colours, in order. */
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color INK = new Color(60, 60, 60);
    private static final int LEFT = 72;
    private static final int RIGHT = 20;
    private static final int TOP = 26;
    private static final int BOTTOM = 40;

    private Chart() {}

    static BufferedImage paint(Curves curves, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            List<Map.Entry<String, Map<String, Series>>> panels = new ArrayList<>();
            for (Map.Entry<String, Map<String, Series>> p : curves.panels().entrySet()) {
                if (p.getValue().values().stream().anyMatch(s -> !s.isEmpty())) {
                    panels.add(p);
                }
            }
            if (panels.isEmpty()) {
                g.setColor(INK);
                g.drawString("no data yet", width / 2 - 30, height / 2);
                return img;
            }
            int h = height / panels.size();
            for (int i = 0; i < panels.size(); i++) {
                panel(g, panels.get(i).getKey(), panels.get(i).getValue(), 0, i * h, width, h);
            }
            return img;
        } finally {
            g.dispose();
        }
    }

    private static void panel(Graphics2D g, String title, Map<String, Series> series, int x0, int y0, int w, int h) {
        int left = x0 + LEFT;
        int top = y0 + TOP;
        int pw = Math.max(10, w - LEFT - RIGHT);
        int ph = Math.max(10, h - TOP - BOTTOM);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series.values()) {
            for (double[] p : s.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        Ticks tx = Ticks.covering(minX, maxX, 8);
        Ticks ty = Ticks.covering(minY, maxY, 5);
        Frame f = new Frame(left, top, pw, ph, tx, ty);

        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < ty.count(); i++) {
            int y = f.y(ty.value(i));
            g.setColor(GRID);
            g.drawLine(left, y, left + pw, y);
            g.setColor(INK);
            String label = ty.label(ty.value(i));
            g.drawString(label, left - 6 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        for (int i = 0; i < tx.count(); i++) {
            int x = f.x(tx.value(i));
            g.setColor(GRID);
            g.drawLine(x, top, x, top + ph);
            g.setColor(INK);
            String label = tx.label(tx.value(i));
            g.drawString(label, x - fm.stringWidth(label) / 2, top + ph + 4 + fm.getAscent());
        }
        g.setColor(INK);
        g.drawRect(left, top, pw, ph);
        g.drawString("iteration", left + pw / 2 - fm.stringWidth("iteration") / 2, top + ph + 8 + 2 * fm.getAscent());
        Font plain = g.getFont();
        g.setFont(plain.deriveFont(Font.BOLD, 13f));
        g.drawString(title, left, y0 + TOP - 8);
        g.setFont(plain);

        int c = 0;
        for (Series s : series.values()) {
            curve(g, f, s.points(), PALETTE[c++ % PALETTE.length]);
        }
        legend(g, series, left + pw - 8, top + 8);
    }

    private static void curve(Graphics2D g, Frame f, List<double[]> points, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < points.size(); i++) {
            double x = f.xd(points.get(i)[0]);
            double y = f.yd(points.get(i)[1]);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.draw(path);
        if (points.size() < 50) {
            for (double[] p : points) {
                g.fillOval(f.x(p[0]) - 3, f.y(p[1]) - 3, 7, 7);
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** A box of colour swatches and labels whose top-right corner is at (right, top). */
    private static void legend(Graphics2D g, Map<String, Series> series, int right, int top) {
        FontMetrics fm = g.getFontMetrics();
        int line = fm.getHeight();
        int textWidth = series.keySet().stream().mapToInt(fm::stringWidth).max().orElse(0);
        int bw = textWidth + 34;
        int bh = series.size() * line + 8;
        int left = right - bw;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(left, top, bw, bh);
        g.setColor(GRID.darker());
        g.drawRect(left, top, bw, bh);
        int i = 0;
        for (String label : series.keySet()) {
            int y = top + 4 + i * line + line / 2;
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(left + 6, y - 2, 16, 4);
            g.setColor(INK);
            g.drawString(label, left + 28, y + fm.getAscent() / 2 - 1);
            i++;
        }
    }

    /** Maps data to pixels inside a panel's plot area. */
    private record Frame(int left, int top, int width, int height, Ticks tx, Ticks ty) {
        double xd(double v) {
            return left + (v - tx.first()) / (tx.last() - tx.first()) * width;
        }

        double yd(double v) {
            return top + height - (v - ty.first()) / (ty.last() - ty.first()) * height;
        }

        int x(double v) {
            return (int) Math.round(xd(v));
        }

        int y(double v) {
            return (int) Math.round(yd(v));
        }
    }
}
