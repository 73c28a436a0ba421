package dev.stride.hooks.builtin.monitor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output on a terminal while a progress bar is shown: the bar lives on the last line,
 * and every line printed meanwhile (the loggers' lines) first clears the bar, is printed, and the
 * bar is drawn again below it, so the two never overwrite each other. The bar is cut to the
 * terminal's width, so it never wraps. Thread-safe: the bar is redrawn from the progress bar's
 * own thread, lines come from the runner's.
 */
final class Screen extends PrintStream {
    /** Back to the start of the line, then erase to its end. */
    private static final String CLEAR = "\r\u001b[K";

    private final PrintStream terminal;
    private final int width;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String bar = "";

    /**
     * @param terminal the real standard output
     * @param width the terminal's columns; the bar takes at most {@code width - 1} of them
     */
    Screen(PrintStream terminal, int width) {
        super(terminal, true, StandardCharsets.UTF_8);
        this.terminal = terminal;
        this.width = Math.max(10, width);
    }

    /** The columns a bar may take. */
    int barWidth() {
        return width - 1;
    }

    /** Shows {@code text} as the bar, in place of the one shown. */
    synchronized void drawBar(String text) {
        bar = fit(text);
        terminal.print(CLEAR + bar);
        terminal.flush();
    }

    /** Removes the bar. */
    synchronized void clearBar() {
        if (!bar.isEmpty()) {
            bar = "";
            terminal.print(CLEAR);
            terminal.flush();
        }
    }

    /** At most {@link #barWidth()} characters: a longer bar would wrap, and every redraw would scroll. */
    private String fit(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.codePointCount(0, oneLine.length()) <= barWidth() ? oneLine
                : oneLine.substring(0, oneLine.offsetByCodePoints(0, barWidth()));
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(buf[i]);
        }
    }

    @Override
    public synchronized void flush() {
        terminal.flush();
    }

    private void flushLine() {
        byte[] line = pending.toByteArray();
        pending.reset();
        if (bar.isEmpty()) {
            terminal.write(line, 0, line.length);
        } else {
            terminal.print(CLEAR);
            terminal.write(line, 0, line.length);
            terminal.print(bar);
        }
        terminal.flush();
    }
}
