package dev.stride.launcher.spark;

import java.util.List;

/** A failed Spark job in two lines a user can read: what Spark gave up on, and the last error of a task. */
final class SparkFailure {
    private SparkFailure() {}

    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return e.toString();
        }
        String cause = lines.stream().skip(1).filter(l -> !l.startsWith("at ") && !l.startsWith("...")
                && !l.startsWith("Driver stacktrace")).findFirst().orElse("");
        return lines.get(0) + (cause.isEmpty() ? "" : " The last error: " + cause);
    }
}
