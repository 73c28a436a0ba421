package dev.stride.app;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.support.HookFailedException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code stride}: train, test, list, inspect. Exit status 0 when done, 2 for a mistake of the user
 * (bad config, unknown name, bad argument, missing or corrupt file: a message, no stack trace),
 * 1 for a bug or a fault of the machine, 143 / 130 after SIGTERM / SIGINT (a checkpoint was saved).
 */
@Command(name = "stride", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A training runner for the JVM.",
        subcommands = {TrainCommand.class, TestCommand.class, ListCommand.class, InspectCommand.class})
public final class Main implements Runnable {
    static {
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

    public static final int DONE = 0;
    public static final int BUG = 1;
    public static final int USER_ERROR = 2;
    public static final int SIGINT = 130;
    public static final int SIGTERM = 143;

    public static void main(String[] args) {
        int status = run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs the command line and returns the exit status. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
        cl.setParameterExceptionHandler((e, args2) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("stride: " + e.getMessage());
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            return USER_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the execution exception handler
            return report(e, cl.getErr());
        }
    }

    static int report(Throwable e, PrintWriter err) {
        if (e instanceof BadInputException) {
            err.println("stride: " + e.getMessage());
            err.flush();
            return USER_ERROR;
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
        if (e instanceof OutOfMemoryError || isNativeOutOfMemory(e)) {
            err.println("stride: out of memory (" + e.getMessage() + "). Use a smaller batch-size or model, or give the JVM more"
                    + " heap with STRIDE_JAVA_OPTS=-Xmx...; earlier checkpoints are intact.");
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
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("allocate memory") || m.contains("not enough memory") || m.contains("out of memory")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getModule().getDescriptor() != null
                    ? Main.class.getModule().getDescriptor().version().map(Object::toString).orElse("dev")
                    : String.valueOf(Main.class.getPackage().getImplementationVersion());
            return new String[] {"stride " + v + " (Java " + Runtime.version() + ")"};
        }
    }
}
