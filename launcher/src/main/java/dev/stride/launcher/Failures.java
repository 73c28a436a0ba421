package dev.stride.launcher;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.support.HookFailedException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * How a launcher reports what ended a run, and the exit status it returns: 2 and a message without
 * a stack trace for the user's mistakes, 1 for bugs and faults of the machine (disk full, out of
 * memory), with what to do next.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Failures {
    public static final int DONE = 0;
    public static final int BUG = 1;
    public static final int USER_ERROR = 2;
    public static final int SIGHUP = 129;
    public static final int SIGINT = 130;
    public static final int SIGTERM = 143;

    private Failures() {}

    /** Prints what went wrong to {@code err} and returns the exit status. */
    public static int report(Throwable e, PrintWriter err) {
        if (e instanceof BadInputException) {
            err.println("stride: " + e.getMessage());
            err.flush();
            return USER_ERROR;
        }
        if (e instanceof OutOfMemoryError || isNativeOutOfMemory(e)) {
            err.println("stride: out of memory (" + e.getMessage() + "). Use a smaller batch-size or model, or give the JVM more"
                    + " heap with STRIDE_JAVA_OPTS=-Xmx...; earlier checkpoints are intact.");
            err.flush();
            return BUG;
        }
        if (e instanceof HookFailedException h) {
            err.println("stride: " + h.getMessage());
            err.println("This is a bug in the hook, or a fault it met; earlier checkpoints are intact: resume with --resume auto.");
            h.getCause().printStackTrace(err);
            err.flush();
            return BUG;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("stride: " + io.getMessage());
            err.println("Earlier checkpoints are intact; resume with --resume auto once the fault is fixed.");
            err.flush();
            return BUG;
        }
        err.println("stride: internal error (a bug, please report it):");
        e.printStackTrace(err);
        err.flush();
        return BUG;
    }

    /** PyTorch reports a failed allocation as an engine error: "can't allocate memory" / "not enough memory". */
    private static boolean isNativeOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("allocate memory") || m.contains("not enough memory") || m.contains("out of memory")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
