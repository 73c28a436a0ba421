package dev.stride.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Tensor;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guides' promise, end to end: the example projects are built from their sources, dropped
 * into a fresh distribution (and a folder named by --plugins or the config's plugins key), and
 * {@code stride list} and {@code stride train} run in new JVMs, on the module path and on the class
 * path, without any change to Stride or its launch command.
 */
class ExamplePluginsIT {
    @TempDir
    static Path build;
    static Path hookJar;
    static Path runnerJar;
    static Path modelJar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildTheExamples() throws Exception {
        hookJar = ExamplePlugins.build(ExamplePlugins.HOOK, build);
        runnerJar = ExamplePlugins.build(ExamplePlugins.RUNNER, build);
        modelJar = ExamplePlugins.build(ExamplePlugins.MODEL, build);
    }

    @Test
    void onTheModulePathBothPluginsAreListedTrainedWithAndResumedExactly() throws Exception {
        Path home = Distribution.fresh(tmp);
        Files.copy(hookJar, home.resolve("plugins").resolve(hookJar.getFileName()));
        Path extra = Files.createDirectories(tmp.resolve("more-plugins"));
        Files.copy(runnerJar, extra.resolve(runnerJar.getFileName()));

        Launch.Result list = Launch.MODULE_PATH.run(home, tmp, "list", "--plugins", extra.toString());
        assertEquals(0, list.exit(), list.all());
        Map<String, ListTable.Row> rows = ListTable.parse(list.out());
        assertEquals(new ListTable.Row("hook", "csv-metrics", "com.example.stride.csvmetrics", "1.0.0", "plugin",
                home.resolve("plugins/csv-metrics-hook-1.0.0.jar").toString()), rows.get("hook csv-metrics"), list.out());
        assertEquals(new ListTable.Row("runner", "curriculum", "com.example.stride.curriculum", "1.0.0", "plugin",
                extra.resolve("curriculum-runner-1.0.0.jar").toString()), rows.get("runner curriculum"), list.out());
        assertEquals("distribution", rows.get("runner epoch").origin(), list.out());

        Path work = tmp.resolve("work");
        Path config = Jobs.curriculum(tmp, work, "{ type = csv-metrics }", "plugins = [\"" + extra + "\"]");
        Launch.Result train = Launch.MODULE_PATH.run(home, tmp, "train", config.toString());
        assertEquals(0, train.exit(), train.all());
        assertTrue(train.out().contains("Plugins found in"), train.out());
        assertTrue(train.out().contains("runner 'curriculum' (module: com.example.stride.curriculum, version: 1.0.0"),
                train.out());
        assertCurriculumRan(train, work);
        List<List<String>> csv = assertCsvMatchesValLog(work.resolve("metrics.csv"), work, List.of(1L, 2L, 3L));

        Path resumed = tmp.resolve("resumed");
        Launch.Result again = Launch.MODULE_PATH.run(home, tmp, "train", config.toString(), "--work-dir", resumed.toString(),
                "--resume", work.resolve("iter_5.safetensors").toString());
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("Resumed from") && again.out().contains("epoch 1, iter 5"), again.out());
        assertEquals(tensors(work.resolve("iter_14.safetensors")), tensors(resumed.resolve("iter_14.safetensors")),
                "training 14 iterations straight and resuming at iteration 5 (mid-epoch 2) end with the same parameters");
        List<List<String>> resumedCsv = assertCsvMatchesValLog(resumed.resolve("metrics.csv"), resumed, List.of(2L, 3L));
        assertEquals(csv.subList(2, 4), resumedCsv.subList(1, 3), "the resumed run's val epochs have the same metrics, bit for bit");
    }

    @Test
    void onTheClassPathBothPluginsAreListedAndTrainedWith() throws Exception {
        Path home = Distribution.fresh(tmp);
        Files.copy(hookJar, home.resolve("plugins").resolve(hookJar.getFileName()));
        Files.copy(runnerJar, home.resolve("plugins").resolve(runnerJar.getFileName()));

        Launch.Result list = Launch.CLASS_PATH_PLUGINS_LOADED_BY_STRIDE.run(home, tmp, "list");
        assertEquals(0, list.exit(), list.all());
        Map<String, ListTable.Row> rows = ListTable.parse(list.out());
        assertEquals(new ListTable.Row("hook", "csv-metrics", "(class path)", "1.0.0", "plugin (class path)",
                home.resolve("plugins/csv-metrics-hook-1.0.0.jar").toString()), rows.get("hook csv-metrics"), list.out());
        assertEquals(new ListTable.Row("runner", "curriculum", "(class path)", "1.0.0", "plugin (class path)",
                home.resolve("plugins/curriculum-runner-1.0.0.jar").toString()), rows.get("runner curriculum"), list.out());
        assertEquals("class path", rows.get("runner epoch").origin(), list.out());

        Path work = tmp.resolve("work");
        Path config = Jobs.curriculum(tmp, work, "{ type = csv-metrics, file = \"cp-metrics.csv\" }", "");
        Launch.Result train = Launch.CLASS_PATH.run(home, tmp, "train", config.toString());
        assertEquals(0, train.exit(), train.all());
        assertTrue(train.out().contains("hook 'csv-metrics' (module: (class path), version: 1.0.0, origin: plugin (class path)"),
                train.out());
        assertCurriculumRan(train, work);
        assertCsvMatchesValLog(work.resolve("cp-metrics.csv"), work, List.of(1L, 2L, 3L));
        assertTrue(Files.notExists(work.resolve("metrics.csv")), "the file option replaces the default name");
    }

    /** Each example tests itself with the runner-testkit, as its own mvn test does: the tests are found and pass. */
    @Test
    void theExamplesTestThemselvesWithTheTestkit() throws Exception {
        for (String[] example : List.of(new String[] {ExamplePlugins.HOOK, "2"}, new String[] {ExamplePlugins.RUNNER, "2"},
                new String[] {ExamplePlugins.MODEL, "2"})) {
            Path jar = example[0].equals(ExamplePlugins.HOOK) ? hookJar : example[0].equals(ExamplePlugins.RUNNER) ? runnerJar
                    : modelJar;
            org.junit.platform.launcher.listeners.TestExecutionSummary s = ExamplePlugins.test(example[0], jar, build);
            java.io.StringWriter failures = new java.io.StringWriter();
            s.printFailuresTo(new java.io.PrintWriter(failures), 20);
            assertEquals(Long.parseLong(example[1]), s.getTestsSucceededCount(), example[0] + ": " + failures);
            assertEquals(0, s.getTotalFailureCount(), example[0] + ": " + failures);
        }
    }

    /** The guides' example configs, shortened: MNIST-10k limited to 256 train and 200 val images (4 and 1 batches). */
    @Test
    void theExampleConfigsOfTheGuidesRun() throws Exception {
        Path home = Distribution.fresh(tmp);
        Files.copy(hookJar, home.resolve("plugins").resolve(hookJar.getFileName()));
        Files.copy(runnerJar, home.resolve("plugins").resolve(runnerJar.getFileName()));
        String[] shorter = {"--set", "runner.max-epochs=2", "--set", "data.train.limit=256", "--set", "data.val.limit=200"};

        Path csvWork = tmp.resolve("csv");
        Launch.Result csv = Launch.MODULE_PATH.run(home, Distribution.repo(), with(shorter, "train",
                ExamplePlugins.project(ExamplePlugins.HOOK).resolve("example.conf").toString(), "--work-dir", csvWork.toString()));
        assertEquals(0, csv.exit(), csv.all());
        List<String> rows = Files.readAllLines(csvWork.resolve("metrics.csv"));
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("epoch,iter,accuracy,loss", rows.get(0));
        assertTrue(rows.get(1).startsWith("1,4,") && rows.get(2).startsWith("2,8,"), rows.toString());

        Files.copy(modelJar, home.resolve("plugins").resolve(modelJar.getFileName()));
        Path modelWork = tmp.resolve("gated");
        Launch.Result model = Launch.MODULE_PATH.run(home, Distribution.repo(), with(shorter, "train",
                ExamplePlugins.project(ExamplePlugins.MODEL).resolve("example.conf").toString(), "--work-dir", modelWork.toString()));
        assertEquals(0, model.exit(), model.all());
        assertTrue(Files.exists(modelWork.resolve("epoch_2.safetensors")), model.out());

        Path runnerWork = tmp.resolve("curriculum");
        Launch.Result runner = Launch.MODULE_PATH.run(home, Distribution.repo(), with(shorter, "train",
                ExamplePlugins.project(ExamplePlugins.RUNNER).resolve("example.conf").toString(), "--work-dir",
                runnerWork.toString()));
        assertEquals(0, runner.exit(), runner.all());
        assertTrue(runner.out().contains("Curriculum: train epoch 1 uses 1 of 4 batches"), runner.out());
        assertTrue(runner.out().contains("Curriculum: train epoch 2 uses 2 of 4 batches"), runner.out());
        assertTrue(runner.out().contains("Done: completed (epoch 2, iter 3)"), runner.out());
        assertTrue(Files.exists(runnerWork.resolve("epoch_2.safetensors")), runner.out());
    }

    /**
     * The model plugin (a custom DJL block wrapped with engine-djl's DjlModel) is listed, trains on
     * MNIST on the module path and on the class path, and resumes from a mid-epoch checkpoint to
     * the same parameters, bit for bit.
     */
    @Test
    void theModelPluginIsListedTrainsAndResumesExactly() throws Exception {
        Path home = Distribution.fresh(tmp);
        Files.copy(modelJar, home.resolve("plugins").resolve(modelJar.getFileName()));
        Launch.Result list = Launch.MODULE_PATH.run(home, tmp, "list");
        assertEquals(0, list.exit(), list.all());
        assertEquals(new ListTable.Row("model", "gated-mlp", "com.example.stride.gatedmlp", "1.0.0", "plugin",
                home.resolve("plugins/gated-mlp-model-1.0.0.jar").toString()), ListTable.parse(list.out()).get("model gated-mlp"),
                list.out());

        Path work = tmp.resolve("work");
        Path config = Jobs.gatedMlp(tmp, work, "");
        Launch.Result train = Launch.MODULE_PATH.run(home, tmp, "train", config.toString());
        assertEquals(0, train.exit(), train.all());
        assertTrue(train.out().contains("model 'gated-mlp' (module: com.example.stride.gatedmlp, version: 1.0.0"), train.out());
        List<Map<String, Object>> val = Jobs.jsonLog(work).stream().filter(l -> l.get("mode").equals("val")).toList();
        double accuracy = ((Number) val.get(val.size() - 1).get("accuracy")).doubleValue();
        System.out.printf("ExamplePluginsIT: gated-mlp reached val accuracy %.4f after 2 epochs of 512 images%n", accuracy);
        assertTrue(accuracy > 0.7, val.toString());
        assertTrue(val.get(val.size() - 1).containsKey("accuracy_top3"), val.toString());
        assertEquals(List.of("model.gated.gate.bias", "model.gated.gate.weight", "model.gated.value.bias",
                "model.gated.value.weight", "model.out.bias", "model.out.weight"),
                CheckpointFiles.read(work.resolve("iter_16.safetensors")).tensors().keySet().stream()
                        .filter(n -> n.startsWith("model.")).sorted().toList());

        Path resumed = tmp.resolve("resumed");
        Launch.Result again = Launch.MODULE_PATH.run(home, tmp, "train", config.toString(), "--work-dir", resumed.toString(),
                "--resume", work.resolve("iter_3.safetensors").toString());
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("Resumed from") && again.out().contains("epoch 0, iter 3"), again.out());
        assertEquals(tensors(work.resolve("iter_16.safetensors")), tensors(resumed.resolve("iter_16.safetensors")),
                "training 16 iterations straight and resuming at iteration 3 (mid-epoch 1) end with the same parameters");

        Path classPath = tmp.resolve("cp");
        Launch.Result cp = Launch.CLASS_PATH.run(home, tmp, "train", Jobs.gatedMlp(tmp, classPath, "").toString());
        assertEquals(0, cp.exit(), cp.all());
        assertEquals(tensors(work.resolve("iter_16.safetensors")), tensors(classPath.resolve("iter_16.safetensors")),
                "on the class path the same run gives the same parameters");
    }

    private static String[] with(String[] options, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
    }

    /** Train epochs of 2, 4 and 8 batches (stages 0.25, 0.5, then all of 8), each followed by a val epoch. */
    private static void assertCurriculumRan(Launch.Result train, Path work) throws Exception {
        assertTrue(train.out().contains("Curriculum: train epoch 1 uses 2 of 8 batches"), train.out());
        assertTrue(train.out().contains("Curriculum: train epoch 2 uses 4 of 8 batches"), train.out());
        assertTrue(train.out().contains("Done: completed (epoch 3, iter 14)"), train.out());
        List<Map<String, Object>> log = Jobs.jsonLog(work);
        Map<Object, Long> trainLinesPerEpoch = log.stream().filter(l -> l.get("mode").equals("train"))
                .collect(Collectors.groupingBy(l -> l.get("epoch"), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of(1L, 2L, 2L, 4L, 3L, 8L), trainLinesPerEpoch, "one train line per iteration: " + log);
        List<String> phases = log.stream().map(l -> l.get("mode") + "@" + l.get("global_iter")).filter(s -> s.startsWith("val"))
                .toList();
        assertEquals(List.of("val@2", "val@6", "val@14"), phases, "a val epoch after each train epoch: " + log);
        Map<String, String> meta = CheckpointFiles.read(work.resolve("iter_14.safetensors")).metadata();
        assertEquals("curriculum", meta.get("runner.type"));
        assertEquals("14", meta.get("runner.iter"));
        assertEquals("2", meta.get("runner.epoch"), "taken after the last train step, before its epoch ended");
        assertEquals("8", meta.get("runner.inner_iter"), "the last epoch had all 8 batches");
    }

    /**
     * The CSV has the header {@code epoch,iter,accuracy,loss} and one row per val epoch of
     * {@code epochs}, with the val line's values of the JSON log. Returns its lines, split.
     */
    private static List<List<String>> assertCsvMatchesValLog(Path csv, Path work, List<Long> epochs) throws Exception {
        List<List<String>> lines = Files.readAllLines(csv).stream().map(l -> List.of(l.split(",", -1))).toList();
        assertEquals(List.of("epoch", "iter", "accuracy", "loss"), lines.get(0), csv.toString());
        List<Map<String, Object>> val = Jobs.jsonLog(work).stream().filter(l -> l.get("mode").equals("val")).toList();
        assertEquals(epochs.size(), val.size(), val.toString());
        assertEquals(epochs.size() + 1, lines.size(), lines.toString());
        for (int i = 0; i < val.size(); i++) {
            Map<String, Object> v = val.get(i);
            assertEquals(epochs.get(i), v.get("epoch"));
            assertEquals(List.of(String.valueOf(v.get("epoch")), String.valueOf(v.get("global_iter")),
                    String.valueOf(((Number) v.get("accuracy")).doubleValue()), String.valueOf(((Number) v.get("loss")).doubleValue())),
                    lines.get(i + 1), "row " + (i + 1) + " of " + csv);
        }
        return lines;
    }

    /** Each tensor's SHA-256, by name. */
    private static Map<String, String> tensors(Path checkpoint) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : CheckpointFiles.read(checkpoint).tensors().entrySet()) {
            ByteBuffer data = e.getValue().data().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            out.put(e.getKey(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        return out;
    }
}
