package dev.stride.runner.api;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Named hook priorities, as in MMCV. Lower values run first; any int in 0..100 is a valid
 * priority, hooks of equal priority run in the order they were registered.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Priority {
    HIGHEST(0),
    VERY_HIGH(10),
    HIGH(30),
    ABOVE_NORMAL(40),
    NORMAL(50),
    BELOW_NORMAL(60),
    LOW(70),
    VERY_LOW(90),
    LOWEST(100);

    private final int value;

    Priority(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /**
     * Reads a priority written as a name ({@code NORMAL}, {@code very-low}, case-insensitive) or
     * as an int in 0..100.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    public static int parse(String text) {
        String t = text.trim();
        try {
            return check(Integer.parseInt(t));
        } catch (NumberFormatException notAnInt) {
            String name = t.toUpperCase(Locale.ROOT).replace('-', '_');
            for (Priority p : values()) {
                if (p.name().equals(name)) {
                    return p.value;
                }
            }
            throw new IllegalArgumentException("unknown priority '" + text + "': use an int in 0..100 or one of"
                    + " HIGHEST, VERY_HIGH, HIGH, ABOVE_NORMAL, NORMAL, BELOW_NORMAL, LOW, VERY_LOW, LOWEST");
        }
    }

    /**
     * Returns {@code value} when it lies in 0..100.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static int check(int value) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException("priority " + value + " is outside 0..100");
        }
        return value;
    }
}
