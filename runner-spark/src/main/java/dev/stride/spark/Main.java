package dev.stride.spark;

import dev.stride.app.ConfiguredJob;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Stride's class-path launcher, for what runs on Apache Spark: {@code train} with
 * {@code dist.type = spark} and {@code sweep}. Every other command (and {@code train} without
 * Spark) is the ordinary {@code stride} command line. {@code ./stride} uses it when the
 * arguments ask for Spark; {@code spark-submit --class dev.stride.spark.Main} uses it on a cluster.
 */
public final class Main {
    static {
        setDefault("org.slf4j.simpleLogger.log.org.apache.spark", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.apache.spark.util.Utils", "error");
        setDefault("org.slf4j.simpleLogger.log.org.sparkproject", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.apache.hadoop", "error");
        setDefault("org.slf4j.simpleLogger.log.io.netty", "warn");
        setDefault("org.slf4j.simpleLogger.log.ml.dmlc", "warn");
        // RetryNotices reports failed tasks in one line; the executor still logs their stack traces
        setDefault("org.slf4j.simpleLogger.log.org.apache.spark.scheduler.TaskSetManager", "error");
        setDefault("java.awt.headless", "true");
        try {
            // app's Main sets the format of Stride's console lines when it is initialised
            Class.forName("dev.stride.app.Main", true, Main.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Main() {}

    public static void main(String[] args) {
        int status = run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs the command line and returns the exit status. */
    public static int run(String... args) {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("sweep"))) {
            return dev.stride.app.Main.run(args);
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Object command = args[0].equals("train") ? new TrainCommand(args) : new SweepCommand();
        CommandLine cl = new CommandLine(command).setCommandName("stride " + args[0]);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> ConfiguredJob.report(e, cmd.getErr()));
        cl.setParameterExceptionHandler((e, ignored) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("stride: " + e.getMessage());
            err.println("Run 'stride " + args[0] + " --help' for the options.");
            return 2;
        });
        return cl.execute(rest);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
