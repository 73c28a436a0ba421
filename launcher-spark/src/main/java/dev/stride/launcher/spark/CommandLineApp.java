package dev.stride.launcher.spark;

import java.lang.reflect.InvocationTargetException;

/**
 * The ordinary {@code stride} command line ({@code dev.stride.app.Main}), which this launcher hands
 * every command that does not run on Spark. It is found at run time: this module builds on the
 * launcher, not on the command line.
 */
final class CommandLineApp {
    private CommandLineApp() {}

    /** Runs {@code stride args...} and returns its exit status. */
    static int run(String... args) {
        try {
            Class<?> main = Class.forName("dev.stride.app.Main", true, CommandLineApp.class.getClassLoader());
            return (int) main.getMethod("run", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Stride command line (dev.stride.app.Main) is not on the class path: " + e, e);
        }
    }
}
