package dev.stride.launcher.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark application of one Stride command: a context for the chosen master, with Stride's
 * defaults. On this machine ({@code local[...]}, {@code local-cluster[...]}) everything binds to
 * the loopback address and the web UI is off. {@code local-cluster[N,C,M]} starts N executor JVMs
 * without a Spark distribution: they get this JVM's class path (the executors need Stride, DJL and
 * XGBoost as much as Spark).
 */
final class SparkApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SparkApp.class);
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final Pattern LOCAL = Pattern.compile("local\\[\\s*(\\d+)\\s*(,\\s*\\d+\\s*)?]");
    /** Quieter executors: Spark's own INFO lines drown Stride's. */
    private static final String QUIET = "-Dorg.slf4j.simpleLogger.log.org.apache.spark=warn"
            + " -Dorg.slf4j.simpleLogger.log.org.sparkproject=warn -Dorg.slf4j.simpleLogger.log.org.apache.hadoop=error"
            + " -Dorg.slf4j.simpleLogger.log.ai.djl=warn -Dorg.slf4j.simpleLogger.log.io.netty=warn";

    private final JavaSparkContext context;

    private SparkApp(JavaSparkContext context) {
        this.context = context;
    }

    /**
     * @param master e.g. {@code local[2]}, {@code local-cluster[2,1,1024]}, {@code spark://host:7077}
     * @param stageAttempts attempts of a stage (training) and of a task (sweeps on a cluster)
     * @param settings Spark settings of the config ({@code dist.spark-conf}), applied last
     */
    static SparkApp start(String name, String master, int stageAttempts, Duration timeout, Map<String, String> settings) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(name)
                // a killed task that does not stop (stuck in native code) takes its executor JVM with it
                .setIfMissing("spark.task.reaper.enabled", "true")
                .setIfMissing("spark.task.reaper.killTimeout", (timeout.toSeconds() + 60) + "s")
                .setIfMissing("spark.stage.maxConsecutiveAttempts", Integer.toString(stageAttempts))
                .setIfMissing("spark.task.maxFailures", Integer.toString(stageAttempts))
                // a barrier stage waits for enough executors: check every second, for two minutes
                .setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s")
                .setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "120");
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false")
                    .setIfMissing("spark.driver.host", "127.0.0.1")
                    .setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            localCluster(conf, Integer.parseInt(cluster.group(3)));
        }
        settings.forEach(conf::set);
        JavaSparkContext sc = new JavaSparkContext(conf);
        if (cluster.matches()) {
            awaitExecutors(sc, Integer.parseInt(cluster.group(1)));
        }
        return new SparkApp(sc);
    }

    /**
     * How many tasks {@code master} runs at once, when the master says so ({@code local[N]},
     * {@code local-cluster[N,C,M]}); -1 for cluster managers and {@code local[*]}.
     */
    static int slots(String master) {
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            return Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
        }
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            return Integer.parseInt(local.group(1));
        }
        return master.equals("local") ? 1 : -1;
    }

    JavaSparkContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }

    /**
     * Spark's local-cluster mode launches executors from a Spark distribution's {@code jars}
     * folder; without one, its test mode passes this JVM's class path on instead, given an
     * (empty) Spark home.
     */
    private static void localCluster(SparkConf conf, int workerMemoryMb) {
        try {
            Path home = Files.createTempDirectory("stride-spark-home");
            Files.createDirectories(home.resolve("jars"));
            home.toFile().deleteOnExit();
            home.resolve("jars").toFile().deleteOnExit();
            System.setProperty("spark.testing", "true");
            System.setProperty("spark.test.home", home.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Spark home: " + e.getMessage(), e);
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        conf.setIfMissing("spark.executor.extraClassPath", classPath)
                .setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .setIfMissing("spark.executor.memory", Math.min(1024, workerMemoryMb) + "m")
                // executors that start fast: C1 only, one GC thread set, Stride's and DJL's code compiled early (as
                // ./stride on 2 cores); the heavy work is PyTorch's, one intra-op thread per task (Main.oneThreadPerTask)
                .setIfMissing("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CompileCommand=quiet"
                        + " -D" + Main.THREADS + "=" + System.getProperty(Main.THREADS, "1").strip()
                        + " -XX:CompileCommand=CompileThresholdScaling,dev.stride.*::*,0.1"
                        + " -XX:CompileCommand=CompileThresholdScaling,ai.djl.*::*,0.1 " + QUIET);
    }

    /** Waits (at most two minutes) until the local cluster's executors registered, so the barrier stage fits at once. */
    private static void awaitExecutors(JavaSparkContext sc, int executors) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (sc.sc().statusTracker().getExecutorInfos().length - 1 < executors && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.debug("{} executors registered", sc.sc().statusTracker().getExecutorInfos().length - 1);
    }
}
