package dev.stride.app;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A confusion matrix as a PNG heat map: rows true classes, columns predicted, counts in the cells. */
final class ConfusionMatrixImage {
    private static final int CELL = 48;
    private static final int MARGIN = 70;

    private ConfusionMatrixImage() {}

    static void write(long[][] m, String title, Path file) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        int n = m.length;
        int size = MARGIN + n * CELL + 20;
        BufferedImage img = new BufferedImage(size, size + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        long max = 1;
        for (long[] row : m) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                float shade = (float) Math.sqrt(m[r][c] / (double) max);
                g.setColor(new Color(1 - shade * 0.8f, 1 - shade * 0.55f, 1f));
                int x = MARGIN + c * CELL;
                int y = MARGIN + r * CELL;
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, CELL, CELL);
                g.setColor(shade > 0.6f ? Color.WHITE : Color.BLACK);
                String s = Long.toString(m[r][c]);
                g.drawString(s, x + (CELL - fm.stringWidth(s)) / 2, y + (CELL + fm.getAscent()) / 2 - 2);
            }
            g.setColor(Color.BLACK);
            String label = Integer.toString(r);
            g.drawString(label, MARGIN - 8 - fm.stringWidth(label), MARGIN + r * CELL + (CELL + fm.getAscent()) / 2 - 2);
            g.drawString(label, MARGIN + r * CELL + (CELL - fm.stringWidth(label)) / 2, MARGIN - 8);
        }
        g.drawString("predicted", MARGIN + (n * CELL - fm.stringWidth("predicted")) / 2, MARGIN - 28);
        g.drawString("true", 8, MARGIN - 8);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 8, 18);
        g.dispose();
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
