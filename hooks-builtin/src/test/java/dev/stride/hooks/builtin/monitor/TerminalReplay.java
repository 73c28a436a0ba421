package dev.stride.hooks.builtin.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows after some output, for the tests: carriage returns move to the start of
 * the line, {@code ESC [ K} erases to its end, newlines start a new line, other characters write
 * over what is there.
 */
final class TerminalReplay {
    private TerminalReplay() {}

    static List<String> lines(String raw) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int col = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                lines.add(line.toString());
                line.setLength(0);
                col = 0;
            } else if (c == '\u001b' && raw.startsWith("[K", i + 1)) {
                line.setLength(Math.min(col, line.length()));
                i += 2;
            } else if (c == '\u001b') {
                int end = i + 1;
                while (end < raw.length() && !Character.isLetter(raw.charAt(end))) {
                    end++;
                }
                i = end; // colours and other sequences take no columns
            } else {
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
