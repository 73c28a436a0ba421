package dev.stride.runner.api.internal;

import org.apiguardian.api.API;

/**
 * Text from a file (a tensor name, a dtype, a metadata value) made safe to print on a terminal:
 * control characters (ANSI escapes start with ESC, {@code \u001b}), C1 controls and invisible
 * format characters such as bidi overrides are written as {@code \}{@code uXXXX}, so a hostile
 * checkpoint cannot recolour, move or hide the text of a message.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public final class Printable {
    private Printable() {}

    /** {@code String.valueOf(value)} with every control or format character escaped; a backslash is doubled. */
    public static String of(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c == '\\' || needsEscape(c);
            if (escape && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (c == '\\') {
                    out.append("\\\\");
                } else if (escape) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** Whether {@code c} is a control character or an invisible format character (bidi controls, zero-width ...). */
    public static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
