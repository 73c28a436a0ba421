package dev.stride.launcher.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.BadInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistOptionsTest {
    private static DistOptions of(String hocon) {
        return DistOptions.of(ConfigFactory.parseString(hocon));
    }

    @Test
    void withoutADistSectionAJobTrainsInThisProcess() {
        DistOptions d = of("seed = 1");
        assertFalse(d.onSpark());
        assertEquals(2, d.workers());
        assertNull(d.master());
        assertEquals(Duration.ofSeconds(120), d.timeout());
        assertTrue(d.mean());
    }

    @Test
    void theMasterDefaultsToSparkSubmitsThenToOneExecutorJvmPerRank() {
        DistOptions d = of("dist { type = spark, workers = 3 }");
        assertTrue(d.onSpark());
        assertEquals("local-cluster[3,1,1024]", d.masterOr(null));
        assertEquals("yarn", d.masterOr("yarn"));
        assertEquals("local[2]", of("dist { type = spark, master = \"local[2]\" }").masterOr("yarn"));
    }

    @Test
    void sparkSettingsKeepTheirNamesQuotedOrNot() {
        DistOptions d = of("dist { spark-conf { \"spark.executor.memory\" = 2g, spark.task.cpus = 1 } }");
        assertEquals(Map.of("spark.executor.memory", "2g", "spark.task.cpus", "1"), d.sparkConf());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String m = assertThrows(BadInputException.class, () -> of(
                "dist { type = sparky, workers = 0, timeout = 10ms, max-attempts = 0, reduce = avg, spark-conf { x = 1 } }"))
                .getMessage();
        for (String key : new String[] {"dist.type", "dist.workers", "dist.timeout", "dist.max-attempts", "dist.reduce",
            "dist.spark-conf.x"}) {
            assertTrue(m.contains(key), key + " in: " + m);
        }
        assertTrue(assertThrows(BadInputException.class, () -> of("dist { workerz = 2 }")).getMessage()
                .contains("did you mean 'workers'"));
        assertTrue(assertThrows(BadInputException.class, () -> of("dist = spark")).getMessage().contains("expected an object"));
    }
}
