package dev.stride.launcher;

import org.apiguardian.api.API;

/**
 * The console format of Stride's log lines (SLF4J's simple logger): time stamps, no thread or
 * logger names, DJL's own chatter only when it matters. Set before the first logger is made; a
 * {@code -D} given by the user wins.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Console {
    private Console() {}

    /** Applies the defaults; call first thing in {@code main}. */
    public static void configure() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "false");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
        setDefault("org.slf4j.simpleLogger.log.ai.djl", "warn");
        setDefault("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
    }

    /** Sets a system property unless it is set already. */
    public static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
