package dev.stride.runner.api.internal;

import java.util.function.BooleanSupplier;
import org.apiguardian.api.API;

/**
 * Slow set-up a module of Stride's can do ahead of need, on a background thread, while the command
 * line reads the config and the data: the engine module loads its native library (libtorch takes
 * about half a second to load, a third of the time to the first iteration). Found with
 * {@link java.util.ServiceLoader} in the boot layer only; plugins have no say.
 *
 * <p>{@link #run()} must do only what the command would do anyway, in the same order, so that a
 * command that needs the result waits for it on the JVM's class and lock machinery; a failure is
 * ignored here and met again, and reported, by the command itself.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public interface Preload {
    /**
     * Does the set-up; may throw, which only means the command will do it (and fail) itself.
     *
     * @param exiting true once the process is ending (the command failed early, or a signal came):
     *     asked between steps, so the process waits only for the step under way
     */
    void run(BooleanSupplier exiting) throws Exception;
}
