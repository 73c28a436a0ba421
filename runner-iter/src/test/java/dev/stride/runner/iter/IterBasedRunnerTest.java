package dev.stride.runner.iter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.FakeModel;
import dev.stride.runner.testkit.FakeOptimizer;
import dev.stride.runner.testkit.RecordingHook;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IterBasedRunnerTest {
    @TempDir
    Path workDir;

    private final FakeModel model = new FakeModel();
    private final FakeOptimizer optimizer = new FakeOptimizer(model);
    private final List<String> log = new ArrayList<>();

    private Runner runner(long maxIters) {
        return new IterRunnerProvider().create(RunnerSettings.builder(model, optimizer)
                .workDir(workDir).seed(5).options(ConfigFactory.parseMap(Map.of("max-iters", maxIters))).build());
    }

    private static Map<Mode, DataLoader> loaders(DataLoader train, DataLoader val) {
        Map<Mode, DataLoader> m = new EnumMap<>(Mode.class);
        m.put(Mode.TRAIN, train);
        if (val != null) {
            m.put(Mode.VAL, val);
        }
        return m;
    }

    /** Parses {@code train:2,val:1}. */
    private static Workflow workflow(String text) {
        List<Phase> phases = new ArrayList<>();
        for (String p : text.split(",")) {
            String[] kv = p.split(":");
            phases.add(new Phase(Mode.parse(kv[0]), Integer.parseInt(kv[1])));
        }
        return new Workflow(phases);
    }

    /**
     * The iterations MMCV's IterBasedRunner.run runs, as T and V:
     * <pre>
     * while self.iter < self._max_iters:
     *     for i, flow in enumerate(workflow):
     *         self._inner_iter = 0
     *         mode, iters = flow
     *         for _ in range(iters):
     *             if mode == 'train' and self.iter >= self._max_iters:
     *                 break
     *             iter_runner(iter_loaders[i], **kwargs)   # train() advances self._iter
     * </pre>
     */
    static String mmcvSequence(Workflow wf, long maxIters) {
        List<String> out = new ArrayList<>();
        long iter = 0;
        while (iter < maxIters) {
            for (Phase p : wf.phases()) {
                for (int i = 0; i < p.count(); i++) {
                    if (p.mode() == Mode.TRAIN && iter >= maxIters) {
                        break;
                    }
                    out.add(p.mode() == Mode.TRAIN ? "T" : "V");
                    if (p.mode() == Mode.TRAIN) {
                        iter++;
                    }
                }
            }
        }
        return String.join(",", out);
    }

    private List<String> stages(String... names) {
        List<String> wanted = List.of(names);
        return log.stream().filter(s -> wanted.contains(s.substring(0, s.indexOf(' ')))).toList();
    }

    private String iterations() {
        return String.join(",", stages("beforeTrainIter", "beforeValIter").stream()
                .map(s -> s.startsWith("beforeTrain") ? "T" : "V").toList());
    }

    @Test
    void trainTwoValOneWithMaxIters5RunsAsMmcv() {
        Workflow wf = workflow("train:2,val:1");
        assertEquals("T,T,V,T,T,V,T,V", mmcvSequence(wf, 5), "the reference loop itself");
        Runner r = runner(5);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        assertEquals(RunOutcome.COMPLETED, r.run(loaders(FakeLoader.train(1, 6, 2), FakeLoader.val(1, 4, 2)), wf));
        assertEquals("T,T,V,T,T,V,T,V", iterations());
        assertEquals(5, r.iter());
        assertEquals(5, model.trainSteps());
        assertEquals(3, model.valSteps());
    }

    @ParameterizedTest(name = "{0} with max-iters {1}")
    @CsvSource(delimiter = ';', value = {
            "train:2,val:1; 4", "train:2,val:1; 6", "train:2,val:1; 1", "train:1; 5", "val:1,train:1; 3",
            "train:3,val:2; 7", "val:2,train:2,val:1; 5", "train:5,val:1; 3", "train:1,val:3,train:2; 4",
    })
    void iterationSequenceMatchesMmcvsLoop(String flow, long maxIters) {
        Workflow wf = workflow(flow);
        Runner r = runner(maxIters);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 5, 2);
        FakeLoader val = FakeLoader.val(1, 3, 2);
        assertEquals(RunOutcome.COMPLETED, r.run(loaders(train, val), wf));
        assertEquals(mmcvSequence(wf, maxIters), iterations());
        assertEquals(maxIters, r.iter());
        assertEquals(maxIters, model.trainSteps());
        assertEquals(train.batchesCreated(), train.batchesClosed(), "every batch is closed");
        assertEquals(train.streamsOpened(), train.streamsClosed(), "every stream is closed");
        assertEquals(val.streamsOpened(), val.streamsClosed());
    }

    @Test
    void countersSeenByHooksFollowMmcv() {
        Runner r = runner(3);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        // train: 2 batches per pass; MMCV reads the pass count before the third fetch starts pass 1, so epoch stays 0
        r.run(loaders(FakeLoader.train(1, 4, 2), FakeLoader.val(1, 4, 2)), workflow("train:2,val:1"));
        assertEquals(List.of(
                "beforeRun e0 i0 in0",
                "beforeEpoch e0 i0 in0",
                "beforeTrainIter e0 i0 in0",
                "afterTrainIter e0 i0 in0",
                "beforeTrainIter e0 i1 in1",
                "afterTrainIter e0 i1 in1",
                "beforeValEpoch e0 i2 in0", // Stride's addition around a val phase; MMCV calls no val epoch stage here
                "beforeValIter e0 i2 in0",
                "afterValIter e0 i2 in0",
                "afterValEpoch e0 i2 in1",
                "beforeTrainIter e0 i2 in0",
                "afterTrainIter e0 i2 in0",
                "beforeValEpoch e0 i3 in0",
                "beforeValIter e0 i3 in0",
                "afterValIter e0 i3 in0",
                "afterValEpoch e0 i3 in1",
                "afterEpoch e0 i3 in1", // inner iter counts the last phase's iterations
                "afterRun e0 i3 in1"), log);
    }

    @Test
    void beforeAndAfterEpochAreCalledOnceAroundTheRun() {
        Runner r = runner(7);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        r.run(loaders(FakeLoader.train(1, 5, 2), FakeLoader.val(1, 3, 2)), workflow("train:2,val:1"));
        assertEquals(1, stages("beforeEpoch").size());
        assertEquals(1, stages("afterEpoch").size());
        assertTrue(log.get(1).startsWith("beforeEpoch"), log.toString());
        assertTrue(log.get(log.size() - 2).startsWith("afterEpoch"), log.toString());
        assertTrue(stages("beforeTrainEpoch", "afterTrainEpoch").isEmpty(), "no train epochs in the iter runner");
    }

    @Test
    void valEpochHooksSurroundEachValPhase() {
        Runner r = runner(2);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        r.run(loaders(FakeLoader.train(1, 5, 2), FakeLoader.val(1, 3, 2)), workflow("train:1,val:3"));
        List<String> val = stages("beforeValEpoch", "afterValEpoch", "beforeValIter", "afterValIter").stream()
                .map(s -> s.substring(0, s.indexOf(' ')) + s.substring(s.lastIndexOf(' '))).toList();
        List<String> onePhase = List.of("beforeValEpoch in0", "beforeValIter in0", "afterValIter in0", "beforeValIter in1",
                "afterValIter in1", "beforeValIter in2", "afterValIter in2", "afterValEpoch in3");
        List<String> expected = new ArrayList<>(onePhase);
        expected.addAll(onePhase);
        assertEquals(expected, val);
    }

    @Test
    void stateSeenByHooks() {
        Runner r = runner(7);
        List<String> seen = new ArrayList<>();
        r.registerHook(new RecordingHook(log)
                .on("beforeRun", x -> true, x -> seen.add("max-iters=" + x.maxIters() + " max-epochs=" + x.maxEpochs()
                        + " byEpoch=" + x.byEpoch() + " name=" + x.name()))
                .on("beforeTrainIter", x -> x.iter() == 0, x -> seen.add(x.mode() + " length=" + x.phaseLength()))
                .on("beforeValIter", x -> x.iter() == 2, x -> seen.add(x.mode() + " length=" + x.phaseLength()
                        + " val buffer=" + x.logBuffer().count("loss") + " same=" + (x.logBuffer() == x.logBuffer(Mode.VAL))))
                .on("beforeValEpoch", x -> x.iter() == 4, x -> seen.add("val buffer cleared=" + (x.logBuffer(Mode.VAL).count("loss") == 0)
                        + " train buffer kept=" + x.logBuffer(Mode.TRAIN).count("loss"))), Priority.NORMAL);
        r.run(loaders(FakeLoader.train(1, 5, 2), FakeLoader.val(1, 3, 2)), workflow("train:2,val:2"));
        assertEquals(List.of("max-iters=7 max-epochs=3 byEpoch=false name=iter", "train length=2",
                "val length=2 val buffer=0 same=true", "val length=2 val buffer=1 same=true",
                "val buffer cleared=true train buffer kept=4"), seen);
    }

    @Test
    void theEndlessLoaderMovesToTheNextEpochWithANewOrder() {
        Runner r = runner(7);
        List<Long> epochs = new ArrayList<>();
        r.registerHook(new RecordingHook(log).on("afterTrainIter", x -> true, x -> epochs.add((long) x.epoch())),
                Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 6, 2); // 3 batches per pass
        r.run(loaders(train, null), workflow("train:1"));
        // MMCV reads the loader's pass count before the fetch that starts a new pass: a pass's first batch lags
        assertEquals(List.of(0L, 0L, 0L, 0L, 1L, 1L, 1L), epochs);
        assertEquals(1, r.epoch());
        assertEquals(List.of("e0 b0", "e1 b0", "e2 b0"), train.opened(), "each pass opened once, from its start");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add("train e" + i / 3 + " b" + i % 3 + " " + Arrays.toString(train.batchIds(i / 3, i % 3)));
        }
        assertEquals(expected, model.seen().stream().map(s -> s.substring(0, s.indexOf(" seed="))).toList());
        int[] pass0 = IntStream.range(0, 3).flatMap(b -> Arrays.stream(train.batchIds(0, b))).toArray();
        int[] pass1 = IntStream.range(0, 3).flatMap(b -> Arrays.stream(train.batchIds(1, b))).toArray();
        assertFalse(Arrays.equals(pass0, pass1), "the second pass is reshuffled");
        assertArrayEquals(Arrays.stream(pass0).sorted().toArray(), Arrays.stream(pass1).sorted().toArray(),
                "and covers the same samples");
        assertEquals(train.batchesCreated(), train.batchesClosed());
        assertEquals(train.streamsOpened(), train.streamsClosed());
    }

    @Test
    void theValLoaderContinuesAcrossPhasesAndWraps() {
        Runner r = runner(2);
        FakeLoader val = FakeLoader.val(1, 3, 2); // 2 batches per pass
        r.run(loaders(FakeLoader.train(1, 5, 2), val), workflow("train:1,val:3"));
        List<String> valSeen = model.seen().stream().filter(s -> s.startsWith("val")).map(s -> s.substring(0, s.indexOf(" ["))).toList();
        assertEquals(List.of("val e0 b0", "val e0 b1", "val e1 b0", "val e1 b1", "val e2 b0", "val e2 b1"), valSeen);
        assertEquals(List.of("e0 b0", "e1 b0", "e2 b0"), val.opened());
    }

    @Test
    void aMissingLoaderOrBadMaxItersIsAUserError() {
        Runner r = runner(3);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        BadInputException e = assertThrows(BadInputException.class,
                () -> r.run(loaders(FakeLoader.train(1, 4, 2), null), workflow("train:1,val:1")));
        assertTrue(e.getMessage().contains("val phase but no val data"), e.getMessage());
        assertEquals(List.of(), log);

        e = assertThrows(BadInputException.class, () -> runner(0));
        assertTrue(e.getMessage().contains("max-iters"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> new IterRunnerProvider().create(
                RunnerSettings.builder(model, optimizer)
                        .workDir(workDir).seed(1).options(ConfigFactory.empty()).build()));
        assertTrue(e.getMessage().contains("'max-iters' is missing"), e.getMessage());
    }

    @Test
    void requestStopFromAHookCallsAfterRun() throws IOException {
        Runner r = runner(20);
        r.registerHook(new RecordingHook(log).on("afterValIter", x -> x.iter() == 4, x -> x.requestStop("converged", false)),
                Priority.NORMAL);
        assertEquals(RunOutcome.STOPPED, r.run(loaders(FakeLoader.train(1, 5, 2), FakeLoader.val(1, 3, 2)),
                workflow("train:2,val:2")));
        assertEquals(4, model.trainSteps());
        assertEquals(3, model.valSteps(), "stopped after the first val iteration of the second val phase");
        assertEquals("converged", r.stopReason());
        assertTrue(log.get(log.size() - 1).startsWith("afterRun"), log.toString());
        assertTrue(stages("afterEpoch").isEmpty(), "the loop was left early");
        assertEquals(List.of(), checkpointFiles());
    }

    @Test
    void interruptSavesAnIterCheckpointWithLoaderCursors() throws IOException {
        Runner r = runner(20);
        r.registerHook(new RecordingHook(log).on("afterValIter", x -> x.iter() == 4 && x.innerIter() == 0,
                x -> x.interrupt("SIGTERM")), Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 5, 2);
        FakeLoader val = FakeLoader.val(1, 3, 2);
        assertEquals(RunOutcome.INTERRUPTED, r.run(loaders(train, val), workflow("train:2,val:2")));
        assertTrue(stages("afterRun").isEmpty());
        assertEquals(List.of("iter_4.safetensors"), checkpointFiles());
        Checkpoint ck = CheckpointFiles.read(CheckpointFiles.latest(workDir).orElseThrow());
        Map<String, String> m = ck.metadata();
        assertEquals("iter", m.get("runner.type"));
        assertEquals("4", m.get("runner.iter"));
        assertEquals("1", m.get("runner.phase"));
        assertEquals("1", m.get("runner.repeat"));
        assertEquals("val", m.get("runner.mode"));
        assertEquals("1", m.get("runner.cursor.train.epoch"), "train: 4 batches taken of 3 per pass");
        assertEquals("1", m.get("runner.cursor.train.next"));
        assertEquals("1", m.get("runner.cursor.val.epoch"), "val: 3 batches taken of 2 per pass");
        assertEquals("1", m.get("runner.cursor.val.next"));
        assertEquals(train.batchesCreated(), train.batchesClosed());
        assertEquals(train.streamsOpened(), train.streamsClosed());
        assertEquals(val.streamsOpened(), val.streamsClosed());
    }

    @Test
    void aHookCheckpointIsNamedByTheIterationsDone() throws IOException {
        Runner r = runner(6);
        List<Path> written = new ArrayList<>();
        r.registerHook(new RecordingHook(log)
                .on("afterTrainIter", x -> x.iter() == 2, x -> written.add(x.saveCheckpoint(workDir)))
                .on("afterValEpoch", x -> x.iter() == 3, x -> written.add(x.saveCheckpoint(workDir))), Priority.NORMAL);
        r.run(loaders(FakeLoader.train(1, 5, 2), FakeLoader.val(1, 3, 2)), workflow("train:3,val:1"));
        assertEquals(List.of(workDir.resolve("iter_3.safetensors"), workDir.resolve("iter_3.safetensors")), written);
        Checkpoint ck = CheckpointFiles.read(workDir.resolve("iter_3.safetensors"));
        assertEquals("2", ck.metadata().get("runner.phase"),
                "the second save, after the val phase (index 1, the last), replaced the first");
        assertEquals("0", ck.metadata().get("runner.repeat"));
    }

    private List<String> checkpointFiles() throws IOException {
        try (Stream<Path> s = Files.list(workDir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
        }
    }

    @Test
    void resumeRejectsAnEpochRunnerCheckpoint() {
        Checkpoint ck = new Checkpoint();
        ck.putMetadata("stride.format", "stride-checkpoint/1");
        ck.putMetadata("runner.type", "epoch");
        Path file = workDir.resolve("epoch_1.safetensors");
        CheckpointFiles.write(file, ck);
        BadInputException e = assertThrows(BadInputException.class, () -> runner(5).resume(file));
        assertTrue(e.getMessage().contains("'epoch' runner"), e.getMessage());
    }

    @Test
    void providerIsNamedIterAndFoundByServiceLoader() {
        IterRunnerProvider p = new IterRunnerProvider();
        assertEquals("iter", p.name());
        assertTrue(ServiceLoader.load(RunnerProvider.class).stream().anyMatch(s -> s.type() == IterRunnerProvider.class));
        assertEquals(1000, ConfigFactory.defaultReference().getInt("stride.runner.iter.max-iters"));
    }
}
