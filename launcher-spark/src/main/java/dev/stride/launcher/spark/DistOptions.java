package dev.stride.launcher.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stride.runner.api.BadInputException;
import dev.stride.launcher.Options;
import dev.stride.launcher.Problems;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code dist} section of a job: how many ranks, which Spark master, how long a rank may wait
 * for the others, how often Spark may retry. Checked against launcher-spark's {@code reference.conf}
 * ({@code stride.dist}); every problem is reported at once, with file and line.
 *
 * @param master null when the config leaves it to spark-submit or the default
 * @param splitVal each rank validates its share of the val data, when the data set can split it
 * @param sparkConf Spark settings the config adds, by their Spark names
 */
record DistOptions(String type, int workers, String master, Duration timeout, int maxAttempts, boolean mean,
        boolean splitVal, Map<String, String> sparkConf) implements Serializable { // java-serialization: Spark ships it in a TrainingSpec
    private static final long serialVersionUID = 1L;
    private static final Set<String> TYPES = Set.of("none", "spark");

    /** The {@code dist} section of {@code job} with its defaults; {@code type = none} when absent. */
    static DistOptions of(Config job) {
        Problems problems = new Problems();
        Config defaults = ConfigFactory.defaultReference(DistOptions.class.getClassLoader()).getConfig("stride.dist");
        Config section = ConfigFactory.empty();
        if (job.hasPath("dist")) {
            ConfigValue v = job.getValue("dist");
            if (v.valueType() != ConfigValueType.OBJECT) {
                throw new BadInputException(Problems.where(v.origin()) + "dist: expected an object, e.g. dist { type = spark,"
                        + " workers = 2 }");
            }
            section = job.getConfig("dist");
        }
        Config c = Options.merge(section, "dist", "dist", defaults, Set.of(), problems);
        problems.throwIfAny("The dist section");
        String type = c.getString("type");
        if (!TYPES.contains(type)) {
            problems.add(c.getValue("type").origin(), "dist.type", "'" + type + "' is not a distribution type; use none (this"
                    + " process) or spark (data-parallel on Apache Spark)");
        }
        int workers = c.getInt("workers");
        if (workers < 1 || workers > 4096) {
            problems.add(c.getValue("workers").origin(), "dist.workers", workers + " is out of range: use 1 to 4096 ranks");
        }
        Duration timeout = Duration.ofSeconds(120);
        try {
            timeout = c.getDuration("timeout");
            if (timeout.toMillis() < 100) {
                problems.add(c.getValue("timeout").origin(), "dist.timeout", "use at least 100ms, e.g. timeout = 120s");
            }
        } catch (ConfigException.BadValue e) {
            problems.add(c.getValue("timeout").origin(), "dist.timeout", "not a duration: write e.g. timeout = 120s or 2m");
        }
        int attempts = c.getInt("max-attempts");
        if (attempts < 1 || attempts > 100) {
            problems.add(c.getValue("max-attempts").origin(), "dist.max-attempts", attempts + " is out of range: use 1 to 100");
        }
        String reduce = c.getString("reduce");
        if (!reduce.equals("mean") && !reduce.equals("sum")) {
            problems.add(c.getValue("reduce").origin(), "dist.reduce", "'" + reduce + "': use mean (average the gradients"
                    + " over the ranks) or sum");
        }
        boolean splitVal = true;
        try {
            splitVal = c.getBoolean("split-val");
        } catch (ConfigException.WrongType e) {
            problems.add(c.getValue("split-val").origin(), "dist.split-val", "use true (each rank validates its share of"
                    + " data.val) or false (every rank validates all of it)");
        }
        Map<String, String> conf = sparkConf(c, problems);
        String master = c.getIsNull("master") ? null : c.getString("master").trim();
        problems.throwIfAny("The dist section");
        return new DistOptions(type, workers, master, timeout, attempts, reduce.equals("mean"), splitVal, conf);
    }

    /** True for {@code type = spark}. */
    boolean onSpark() {
        return type.equals("spark");
    }

    /** The master to use: the config's, else spark-submit's, else one executor JVM per rank on this machine. */
    String masterOr(String submitted) {
        if (master != null) {
            return master;
        }
        return submitted != null ? submitted : "local-cluster[" + workers + ",1,1024]";
    }

    private static Map<String, String> sparkConf(Config c, Problems problems) {
        Map<String, String> out = new TreeMap<>();
        if (c.getIsNull("spark-conf")) {
            return out;
        }
        ConfigValue v = c.getValue("spark-conf");
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(v.origin(), "dist.spark-conf", "expected an object, e.g. spark-conf { \"spark.executor.memory\" = 2g }");
            return out;
        }
        for (Map.Entry<String, ConfigValue> e : c.getConfig("spark-conf").entrySet()) {
            String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
            if (e.getValue().valueType() == ConfigValueType.LIST || e.getValue().valueType() == ConfigValueType.NULL) {
                problems.add(e.getValue().origin(), "dist.spark-conf." + key, "a Spark setting is a string, number or boolean");
                continue;
            }
            if (!key.startsWith("spark.")) {
                problems.add(e.getValue().origin(), "dist.spark-conf." + key, "Spark settings start with spark., e.g."
                        + " \"spark.executor.memory\"");
                continue;
            }
            out.put(key, String.valueOf(e.getValue().unwrapped()));
        }
        return out;
    }
}
