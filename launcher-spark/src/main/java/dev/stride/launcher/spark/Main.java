package dev.stride.launcher.spark;

import dev.stride.launcher.Console;
import dev.stride.launcher.Failures;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Stride's class-path launcher, for what runs on Apache Spark: {@code train} with
 * {@code dist.type = spark} and {@code sweep}. Every other command (and {@code train} without
 * Spark) is the ordinary {@code stride} command line. {@code ./stride} uses it when the
 * arguments ask for Spark; {@code spark-submit --class dev.stride.launcher.spark.Main} uses it on a cluster.
 */
public final class Main {
    static {
        Console.setDefault("org.slf4j.simpleLogger.log.org.apache.spark", "warn");
        Console.setDefault("org.slf4j.simpleLogger.log.org.apache.spark.util.Utils", "error");
        Console.setDefault("org.slf4j.simpleLogger.log.org.sparkproject", "warn");
        Console.setDefault("org.slf4j.simpleLogger.log.org.apache.hadoop", "error");
        Console.setDefault("org.slf4j.simpleLogger.log.io.netty", "warn");
        Console.setDefault("org.slf4j.simpleLogger.log.ml.dmlc", "warn");
        // RetryNotices reports failed tasks in one line; the executor still logs their stack traces
        Console.setDefault("org.slf4j.simpleLogger.log.org.apache.spark.scheduler.TaskSetManager", "error");
        Console.setDefault("java.awt.headless", "true");
        Console.configure();
    }

    private Main() {}

    public static void main(String[] args) {
        oneThreadPerTask();
        int status = run(args);
        System.out.flush();
        System.exit(status);
    }

    /** DJL's system property for PyTorch's intra-op threads. */
    static final String THREADS = "ai.djl.pytorch.num_threads";

    /**
     * One PyTorch intra-op thread for each trial or rank of this JVM (Spark gives a task one core,
     * {@code spark.task.cpus}), unless {@code -Dai.djl.pytorch.num_threads} says otherwise: set before
     * the engine starts, so engine-djl does not give models with convolutions a thread per core,
     * which several trials of {@code local[N]} would share. Local-cluster executors get the same
     * ({@link SparkApp}); the rank and trial tasks call it too, for executors started otherwise
     * (effective when the task is the first thing in its JVM to reach the engine).
     */
    static void oneThreadPerTask() {
        if (System.getProperty(THREADS) == null) {
            System.setProperty(THREADS, "1");
        }
    }

    /** Runs the command line and returns the exit status. */
    public static int run(String... args) {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("sweep"))) {
            return CommandLineApp.run(args);
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Object command = args[0].equals("train") ? new TrainCommand(args) : new SweepCommand();
        CommandLine cl = new CommandLine(command).setCommandName("stride " + args[0]);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> Failures.report(e, cmd.getErr()));
        cl.setParameterExceptionHandler((e, ignored) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("stride: " + e.getMessage());
            err.println("Run 'stride " + args[0] + " --help' for the options.");
            return 2;
        });
        return cl.execute(rest);
    }
}
