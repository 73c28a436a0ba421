package dev.stride.hooks.builtin;

import java.util.Locale;

/** Durations as the loggers print them: {@code h:mm:ss}, as MMCV's eta. */
public final class Durations {
    private Durations() {}

    /** {@code 0:01:02} for 62 seconds; negative values print as {@code 0:00:00}. */
    public static String hms(long seconds) {
        long s = Math.max(0, seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
