package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A by-epoch run's JSON log goes through the logic of OpenMMLab's log tool
 * ({@code tools/analysis_tools/analyze_logs.py} of mmdetection 2.x, read for this test):
 * {@code load_json_logs} skips the first line, drops lines without {@code epoch} and groups every
 * other key's values by epoch; {@code cal_train_time} averages each epoch's {@code time} values
 * but the first, and needs as many in every epoch; {@code plot_curve} puts a train value at
 * {@code iter + (epoch - 1) * n}, with {@code n} the second-to-last {@code iter} of the first
 * epoch, after dropping an epoch's last {@code iter} when its last line is a val line. The log
 * must pass all three unchanged, and the plot's x must be the run's global iteration. The tool of
 * mmclassification plots a train key at {@code iter / n + (epoch - 1)} epochs, and a val metric
 * ({@code accuracy}, {@code precision} ...) against the epochs that have it, once an epoch.
 */
class MmcvLogToolsIT {
    @TempDir
    Path tmp;

    /** {@code load_json_logs}: epoch -> key -> values, in order; the first line is skipped unread. */
    static Map<Long, Map<String, List<Object>>> loadJsonLogs(Path log) throws Exception {
        Map<Long, Map<String, List<Object>>> byEpoch = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(log);
        for (int i = 1; i < lines.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) Json.parse(lines.get(i).strip()));
            if (!record.containsKey("epoch")) {
                continue;
            }
            long epoch = (Long) record.remove("epoch");
            Map<String, List<Object>> keys = byEpoch.computeIfAbsent(epoch, e -> new LinkedHashMap<>());
            record.forEach((k, v) -> keys.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        return byEpoch;
    }

    @Test
    void aByEpochLogPassesCalTrainTimeAndPlotCurve() throws Exception {
        Path work = tmp.resolve("work");
        // 1,000 images in batches of 32: 32 iterations an epoch, logged at 10, 20, 30 and the epoch's end (32)
        String conf = Configs.mlp(work, 1000).replace("max-epochs = 1", "max-epochs = 3");
        StrideCli.Result r = StrideCli.run(tmp, "train", Configs.write(tmp, "job.conf", conf).toString());
        assertEquals(0, r.exit(), r.all());
        Path log;
        try (Stream<Path> s = Files.list(work)) {
            log = s.filter(p -> p.toString().endsWith(".log.json")).findFirst().orElseThrow();
        }
        assertFalse(((Map<?, ?>) Json.parse(Files.readAllLines(log).get(0))).containsKey("epoch"),
                "the first line, which the tool skips, describes the run");

        Map<Long, Map<String, List<Object>>> logs = loadJsonLogs(log);
        assertEquals(List.of(1L, 2L, 3L), List.copyOf(logs.keySet()), "1-based, contiguous epochs");

        // cal_train_time: log_dict[epoch]['time'][1:] for every epoch, then a mean over a rectangular array
        List<Integer> counts = new ArrayList<>();
        for (Map<String, List<Object>> epoch : logs.values()) {
            List<Object> times = epoch.get("time");
            counts.add(times.size() - 1);
            assertTrue(times.stream().allMatch(t -> t instanceof Double), "numeric times: " + times);
        }
        assertEquals(List.of(3, 3, 3), counts, "as many time values in every epoch (val lines carry none)");

        // plot_curve for a train key: x = iter + (epoch - 1) * n, n = the first epoch's second-to-last iter
        Map<String, List<Object>> first = logs.get(1L);
        assertTrue(first.containsKey("loss") && first.containsKey("accuracy"), "the plotted keys are in the first epoch");
        long n = (Long) first.get("iter").get(first.get("iter").size() - 2);
        assertEquals(32, n, "iterations per epoch");
        List<Long> xs = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (Map.Entry<Long, Map<String, List<Object>>> e : logs.entrySet()) {
            List<Object> iters = e.getValue().get("iter");
            List<Object> modes = e.getValue().get("mode");
            assertEquals("val", modes.get(modes.size() - 1), "each epoch ends with its val line");
            assertEquals(1, modes.stream().filter("val"::equals).count(), "one val line an epoch");
            for (Object it : iters.subList(0, iters.size() - 1)) {
                xs.add((Long) it + (e.getKey() - 1) * n);
            }
            List<Object> global = e.getValue().get("global_iter");
            global.subList(0, global.size() - 1).forEach(g -> expected.add((Long) g));
            assertEquals(iters.size() - 1, e.getValue().get("loss").subList(0, iters.size() - 1).size());
        }
        assertEquals(expected, xs, "the tool's x is the global train iteration");
        for (Map<String, List<Object>> epoch : logs.values()) {
            assertEquals(1, epoch.get("accuracy").size(), "one val metric an epoch, for mmcls's plot of val metrics");
            List<Object> iters = epoch.get("iter");
            assertEquals(n, iters.get(iters.size() - 2), "mmcls: the last train iter of every epoch is its length");
        }
        assertEquals(List.of(10L, 20L, 30L, 32L, 42L, 52L, 62L, 64L, 74L, 84L, 94L, 96L), xs);
    }
}
