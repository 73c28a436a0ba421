package dev.stride.app;

import dev.stride.launcher.Console;
import dev.stride.launcher.Failures;
import dev.stride.runner.api.support.Settings;
import java.io.PrintWriter;
import org.apiguardian.api.API;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code stride}: train, test, predict, list, inspect. Exit status 0 when done, 2 for a mistake of the user
 * (bad config, unknown name, bad argument, missing or corrupt file: a message, no stack trace),
 * 1 for a bug or a fault of the machine, 143 / 130 after SIGTERM / SIGINT (a checkpoint was saved).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Command(name = "stride", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A training runner for the JVM.",
        subcommands = {TrainCommand.class, TestCommand.class, PredictCommand.class, ListCommand.class, InspectCommand.class, SweepCommand.class})
public final class Main implements Runnable {
    static {
        Console.configure();
    }

    public static final int DONE = Failures.DONE;
    public static final int BUG = Failures.BUG;
    public static final int USER_ERROR = Failures.USER_ERROR;
    public static final int SIGINT = Failures.SIGINT;
    public static final int SIGTERM = Failures.SIGTERM;

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
            if (e.getCommandLine() == cl && e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().get(0).startsWith("-")) {
                String word = u.getUnmatched().get(0);
                err.println("stride: unknown command '" + word + "'" + Settings.didYouMean(word, cl.getSubcommands().keySet())
                        + "; the commands are " + String.join(", ", cl.getSubcommands().keySet()) + ".");
            } else {
                err.println("stride: " + e.getMessage());
            }
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
        return Failures.report(e, err);
    }

    /** {@code stride} without a command: the usage, on standard error, and exit status 2 (a mistake of the user). */
    @Override
    public void run() {
        CommandLine cl = new CommandLine(this);
        cl.usage(cl.getErr());
        cl.getErr().flush();
        throw new CommandLine.ParameterException(cl, "no command given: say which, e.g. stride train CONFIG");
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
