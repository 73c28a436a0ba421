package dev.stride.runner.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.checkpoint.CheckpointFiles;
import dev.stride.runner.api.checkpoint.CorruptCheckpointException;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.FakeModel;
import dev.stride.runner.testkit.FakeOptimizer;
import dev.stride.runner.testkit.RecordingHook;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.HookFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpochBasedRunnerTest {
    @TempDir
    Path workDir;

    private final FakeModel model = new FakeModel();
    private final FakeOptimizer optimizer = new FakeOptimizer(model);
    private final List<String> log = new ArrayList<>();

    private Runner runner(int maxEpochs) {
        return new EpochRunnerProvider().create(RunnerSettings.builder(model, optimizer)
                .workDir(workDir).seed(11).options(ConfigFactory.parseMap(Map.of("max-epochs", maxEpochs))).build());
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

    private List<String> stages(String... names) {
        List<String> wanted = List.of(names);
        return log.stream().filter(s -> wanted.contains(s.substring(0, s.indexOf(' ')))).toList();
    }

    private String phases() {
        return String.join(",", stages("beforeTrainEpoch", "beforeValEpoch").stream()
                .map(s -> s.startsWith("beforeTrain") ? "T" : "V").toList());
    }

    @ParameterizedTest(name = "{0} with max-epochs {1} runs {2}")
    @CsvSource(delimiter = ';', value = {
            "train:2,val:1; 3; T,T,V,T,V",
            "val:1,train:1; 2; V,T,V,T",
            "train:1; 3; T,T,T",
            "train:2,val:1; 4; T,T,V,T,T,V",
            "train:1,val:1; 2; T,V,T,V",
            "train:3,val:2; 2; T,T,V,V",
            "val:2,train:2,val:1; 3; V,V,T,T,V,V,V,T,V",
    })
    void phaseSequenceFollowsMmcv(String flow, int maxEpochs, String expected) {
        Runner r = runner(maxEpochs);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 5, 2);
        FakeLoader val = FakeLoader.val(1, 4, 2);
        assertEquals(RunOutcome.COMPLETED, r.run(loaders(train, val), workflow(flow)));
        assertEquals(expected, phases());
        long trainEpochs = expected.chars().filter(c -> c == 'T').count();
        long valEpochs = expected.chars().filter(c -> c == 'V').count();
        assertEquals(maxEpochs, trainEpochs, "exactly max-epochs train epochs");
        assertEquals(trainEpochs * 3, model.trainSteps(), "every train epoch sees every batch");
        assertEquals(valEpochs * 2, model.valSteps());
        assertEquals(maxEpochs, r.epoch());
        assertEquals(maxEpochs * 3L, r.iter());
        assertEquals(train.batchesCreated(), train.batchesClosed(), "every batch is closed");
        assertEquals(train.streamsOpened(), train.streamsClosed(), "every stream is closed");
        assertEquals(val.streamsOpened(), val.streamsClosed());
    }

    @Test
    void countersSeenByHooksFollowMmcv() {
        Runner r = runner(2);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        // train: 2 batches, val: 1 batch
        r.run(loaders(FakeLoader.train(1, 4, 2), FakeLoader.val(1, 2, 2)), workflow("train:1,val:1"));
        assertEquals(List.of(
                "beforeRun e0 i0 in0",
                "beforeTrainEpoch e0 i0 in0",
                "beforeTrainIter e0 i0 in0",
                "afterTrainIter e0 i0 in0", // iter counts the iterations done before this one
                "beforeTrainIter e0 i1 in1",
                "afterTrainIter e0 i1 in1",
                "afterTrainEpoch e0 i2 in1", // epoch counts the epochs done before this one; inner iter the last index
                "beforeValEpoch e1 i2 in1", // MMCV does not reset inner iter before an epoch: the last index stays
                "beforeValIter e1 i2 in0",
                "afterValIter e1 i2 in0",
                "afterValEpoch e1 i2 in0",
                "beforeTrainEpoch e1 i2 in0",
                "beforeTrainIter e1 i2 in0",
                "afterTrainIter e1 i2 in0",
                "beforeTrainIter e1 i3 in1",
                "afterTrainIter e1 i3 in1",
                "afterTrainEpoch e1 i4 in1",
                "beforeValEpoch e2 i4 in1",
                "beforeValIter e2 i4 in0",
                "afterValIter e2 i4 in0",
                "afterValEpoch e2 i4 in0",
                "afterRun e2 i4 in0"), log);
    }

    @Test
    void stateSeenByHooks() {
        Runner r = runner(3);
        List<String> seen = new ArrayList<>();
        r.registerHook(new RecordingHook(log)
                .on("beforeRun", x -> true, x -> seen.add("run max-epochs=" + x.maxEpochs() + " max-iters=" + x.maxIters()
                        + " byEpoch=" + x.byEpoch() + " name=" + x.name()))
                .on("beforeTrainEpoch", x -> x.epoch() == 0, x -> seen.add("train mode=" + x.mode() + " length=" + x.phaseLength()
                        + " buffer=" + x.logBuffer().count("loss")))
                .on("afterTrainIter", x -> x.iter() == 0, x -> seen.add("step loss=" + (x.outputs().get("loss") >= 0)
                        + " samples=" + x.outputs().samples() + " same-buffer=" + (x.logBuffer() == x.logBuffer(Mode.TRAIN))))
                .on("beforeTrainEpoch", x -> x.epoch() == 1, x -> seen.add("train buffer cleared=" + (x.logBuffer().count("loss") == 0)))
                .on("beforeValIter", x -> x.epoch() == 1, x -> seen.add("val mode=" + x.mode() + " length=" + x.phaseLength()
                        + " same-buffer=" + (x.logBuffer() == x.logBuffer(Mode.VAL)))), Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 10, 3);
        FakeLoader val = FakeLoader.val(1, 5, 2);
        r.run(loaders(train, val), workflow("train:1,val:1"));
        assertEquals(List.of(
                "run max-epochs=3 max-iters=12 byEpoch=true name=epoch",
                "train mode=train length=4 buffer=0",
                "step loss=true samples=3 same-buffer=true",
                "val mode=val length=3 same-buffer=true",
                "val mode=val length=3 same-buffer=true",
                "val mode=val length=3 same-buffer=true",
                "train buffer cleared=true"), seen);
        assertSame(train, r.loader(Mode.TRAIN));
        assertSame(model, r.model());
        assertSame(optimizer, r.optimizer());
        assertEquals(0.1, r.currentLr(), 0.0); // FakeOptimizer's default lr
        assertEquals(workDir, r.workDir());
        assertEquals(11, r.seed());
        assertTrue(r.timestamp().matches("\\d{8}_\\d{6}"), r.timestamp());
    }

    @Test
    void logBufferAveragesTheEpochWeightedBySamples() {
        Runner r = runner(1);
        double[] sum = {0};
        long[] count = {0};
        List<String> checks = new ArrayList<>();
        r.registerHook(new Hook() {
            @Override
            public void afterTrainIter(Runner x) {
                sum[0] += x.outputs().get("loss") * x.outputs().samples();
                count[0] += x.outputs().samples();
            }

            @Override
            public void afterTrainEpoch(Runner x) {
                checks.add(x.logBuffer().count("loss") + " " + (x.logBuffer().average(0).get("loss") == sum[0] / count[0]));
            }
        }, Priority.NORMAL);
        r.run(loaders(FakeLoader.train(1, 10, 3), null), workflow("train:1"));
        assertEquals(List.of("4 true"), checks);
    }

    @Test
    void hooksAreCalledInPriorityOrder() {
        Runner r = runner(1);
        RecordingHook c = new RecordingHook("c", log);
        RecordingHook a = new RecordingHook("a", log);
        RecordingHook b = new RecordingHook("b", log);
        RecordingHook a2 = new RecordingHook("a2", log);
        RecordingHook z = new RecordingHook("z", log);
        r.registerHook(c, Priority.LOW);
        r.registerHook(a, Priority.HIGH);
        r.registerHook(b, Priority.NORMAL);
        r.registerHook(a2, 30);
        r.registerHook(z, 0);
        assertEquals(List.of(z, a, a2, b, c), r.hooks());
        r.run(loaders(FakeLoader.train(1, 4, 2), FakeLoader.val(1, 2, 2)), workflow("train:1,val:1"));
        assertEquals(0, log.size() % 5);
        for (int i = 0; i < log.size(); i += 5) {
            String stage = log.get(i).substring(log.get(i).indexOf(' '));
            assertEquals(List.of("z" + stage, "a" + stage, "a2" + stage, "b" + stage, "c" + stage), log.subList(i, i + 5));
        }
        assertEquals(12 * 5, log.size(), "12 stage calls of each hook");
    }

    @Test
    void aMissingLoaderForAWorkflowModeIsAUserError() {
        Runner r = runner(2);
        r.registerHook(new RecordingHook(log), Priority.NORMAL);
        BadInputException e = assertThrows(BadInputException.class,
                () -> r.run(loaders(FakeLoader.train(1, 4, 2), null), workflow("train:1,val:1")));
        assertTrue(e.getMessage().contains("val phase but no val data"), e.getMessage());
        assertTrue(e.getMessage().contains("data.val"), e.getMessage());
        assertEquals(List.of(), log, "nothing ran");
        assertEquals(0, model.trainSteps());

        Map<Mode, DataLoader> onlyVal = new EnumMap<>(Mode.class);
        onlyVal.put(Mode.VAL, FakeLoader.val(1, 2, 2));
        e = assertThrows(BadInputException.class, () -> runner(1).run(onlyVal, workflow("train:1")));
        assertTrue(e.getMessage().contains("train"), e.getMessage());
    }

    @Test
    void maxEpochsIsChecked() {
        BadInputException e = assertThrows(BadInputException.class, () -> runner(0));
        assertTrue(e.getMessage().contains("max-epochs"), e.getMessage());
        assertTrue(e.getMessage().contains("outside 1.."), e.getMessage());
        e = assertThrows(BadInputException.class, () -> new EpochRunnerProvider().create(
                RunnerSettings.builder(model, optimizer)
                        .workDir(workDir).seed(1).options(ConfigFactory.empty()).build()));
        assertTrue(e.getMessage().contains("'max-epochs' is missing"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> new EpochRunnerProvider().create(
                RunnerSettings.builder(model, optimizer)
                        .workDir(workDir).seed(1).options(ConfigFactory.parseMap(Map.of("max-epochs", "many"))).build()));
        assertTrue(e.getMessage().contains("max-epochs"), e.getMessage());
    }

    @Test
    void requestStopFromAHookStopsAfterTheStepAndCallsAfterRun() throws IOException {
        Runner r = runner(3);
        r.registerHook(new RecordingHook(log).on("afterTrainIter", x -> x.iter() == 2, x -> x.requestStop("early stop", false)),
                Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 10, 3);
        assertEquals(RunOutcome.STOPPED, r.run(loaders(train, null), workflow("train:1")));
        assertEquals(3, model.trainSteps());
        assertEquals("early stop", r.stopReason());
        assertEquals("afterRun e0 i3 in2", log.get(log.size() - 1));
        assertEquals(List.of(), checkpointFiles());
        assertFalse(Files.exists(workDir.resolve(CheckpointFiles.LATEST)));
        assertEquals(train.batchesCreated(), train.batchesClosed());
        assertEquals(train.streamsOpened(), train.streamsClosed());
    }

    @Test
    void requestStopWithCheckpointSavesOne() throws IOException {
        Runner r = runner(3);
        r.registerHook(new RecordingHook(log).on("afterTrainIter", x -> x.iter() == 2, x -> x.requestStop("plateau", true)),
                Priority.NORMAL);
        assertEquals(RunOutcome.STOPPED, r.run(loaders(FakeLoader.train(1, 10, 3), null), workflow("train:1")));
        assertEquals(List.of("iter_3.safetensors"), checkpointFiles());
        assertTrue(log.get(log.size() - 1).startsWith("afterRun"));
    }

    @Test
    void interruptSavesACheckpointAndSkipsAfterRun() throws IOException {
        Runner r = runner(3);
        r.registerHook(new RecordingHook(log).on("afterTrainIter", x -> x.iter() == 5, x -> x.interrupt("SIGTERM")),
                Priority.NORMAL);
        FakeLoader train = FakeLoader.train(1, 10, 3);
        assertEquals(RunOutcome.INTERRUPTED, r.run(loaders(train, null), workflow("train:1")));
        assertEquals(6, model.trainSteps());
        assertEquals("SIGTERM", r.stopReason());
        assertTrue(stages("afterRun").isEmpty(), "after-run hooks are skipped");
        assertEquals(List.of("iter_6.safetensors"), checkpointFiles());
        Path file = workDir.resolve("iter_6.safetensors");
        assertEquals(file, CheckpointFiles.latest(workDir).orElseThrow());

        Checkpoint ck = CheckpointFiles.read(file);
        Map<String, String> meta = ck.metadata();
        assertEquals("stride-checkpoint/1", meta.get("stride.format"));
        assertEquals("epoch", meta.get("runner.type"));
        assertEquals("1", meta.get("runner.epoch"));
        assertEquals("6", meta.get("runner.iter"));
        assertEquals("2", meta.get("runner.inner_iter"));
        assertEquals("0", meta.get("runner.phase"));
        assertEquals("0", meta.get("runner.repeat"));
        assertEquals("train", meta.get("runner.mode"));
        assertEquals("11", meta.get("runner.seed"));
        assertTrue(ck.tensors().containsKey("model.w"), ck.tensors().keySet().toString());
        assertTrue(ck.tensors().containsKey("optimizer.w.momentum_buffer"), ck.tensors().keySet().toString());
        assertTrue(meta.containsKey("log.train.history.loss"), meta.keySet().toString());
        assertEquals(train.batchesCreated(), train.batchesClosed());
        assertEquals(train.streamsOpened(), train.streamsClosed());
    }

    @Test
    void interruptFromAnotherThread() throws IOException {
        Runner r = runner(3);
        r.registerHook(new RecordingHook(log).on("afterTrainIter", x -> x.iter() == 1, x -> {
            Thread t = new Thread(() -> x.interrupt("signal"));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }), Priority.NORMAL);
        assertEquals(RunOutcome.INTERRUPTED, r.run(loaders(FakeLoader.train(1, 10, 3), null), workflow("train:1")));
        assertEquals(2, model.trainSteps());
        assertEquals(List.of("iter_2.safetensors"), checkpointFiles());
    }

    private List<String> checkpointFiles() throws IOException {
        try (Stream<Path> s = Files.list(workDir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
        }
    }

    /** Train 4 batches, val 3 batches; [[train, 1], [val, 1]], max-epochs 2. */
    private List<String> checkpointAt(String stage, java.util.function.Predicate<Runner> when, Consumer<Runner> action)
            throws IOException {
        Runner r = runner(2);
        r.registerHook(new RecordingHook(log).on(stage, when, action), Priority.NORMAL);
        r.run(loaders(FakeLoader.train(1, 10, 3), FakeLoader.val(1, 5, 2)), workflow("train:1,val:1"));
        return checkpointFiles();
    }

    @ParameterizedTest(name = "interrupt at {0} when iter={1}, inner={2}: {3}")
    @CsvSource({
            "afterTrainIter, 1, 1, iter_2.safetensors", // mid-epoch
            "afterTrainIter, 3, 3, iter_4.safetensors", // last batch: the epoch's end hooks have not run
            "afterTrainEpoch, 4, 3, epoch_1.safetensors", // epoch boundary
            "afterValIter, 4, 0, iter_4.safetensors", // mid val epoch
            "afterValEpoch, 4, 2, epoch_1.safetensors", // after a val epoch
    })
    void interruptCheckpointIsNamedByPosition(String stage, long iter, int inner, String expected) throws IOException {
        assertEquals(List.of(expected), checkpointAt(stage, x -> x.iter() == iter && x.innerIter() == inner,
                x -> x.interrupt("test")));
    }

    @ParameterizedTest(name = "a hook saving at {0} when iter={1}, inner={2} writes {3}")
    @CsvSource({
            "afterTrainIter, 1, 1, iter_2.safetensors",
            "afterTrainIter, 3, 3, iter_4.safetensors",
            "afterTrainEpoch, 4, 3, epoch_1.safetensors",
            "afterTrainEpoch, 8, 3, epoch_2.safetensors",
            "beforeTrainEpoch, 4, 2, epoch_1.safetensors", // inner iter: the last index of the val epoch before,
            "beforeTrainIter, 5, 1, iter_5.safetensors",
    })
    void hookCheckpointIsNamedByPosition(String stage, long iter, int inner, String expected) throws IOException {
        Path[] written = {null};
        List<String> files = checkpointAt(stage, x -> x.iter() == iter && x.innerIter() == inner,
                x -> written[0] = x.saveCheckpoint(workDir));
        assertEquals(List.of(expected), files);
        assertEquals(workDir.resolve(expected), written[0]);
        assertEquals(written[0], CheckpointFiles.latest(workDir).orElseThrow());
    }

    @Test
    void aThrowingHookStopsTheRunNamingIt() {
        Runner r = runner(2);
        r.registerHook(new RecordingHook("faulty", log).on("afterTrainIter", x -> x.iter() == 5, x -> {
            throw new IllegalStateException("boom");
        }), Priority.NORMAL);
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> r.run(loaders(FakeLoader.train(1, 10, 3), null), workflow("train:1")));
        assertTrue(e.getMessage().contains("'faulty'"), e.getMessage());
        assertTrue(e.getMessage().contains("afterTrainIter at epoch 2, iter 5"), e.getMessage());
    }

    @Test
    void resumeRestoresHookStateByName() {
        Runner r = runner(2);
        RecordingHook h = new RecordingHook("keeper", log);
        h.setState("best=0.93");
        r.registerHook(h, Priority.NORMAL);
        r.registerHook(new RecordingHook("other", log), Priority.LOW);
        IllegalArgumentException twin = assertThrows(IllegalArgumentException.class,
                () -> r.registerHook(new RecordingHook("keeper", log), Priority.LOW));
        assertTrue(twin.getMessage().contains("two hooks are named 'keeper'"), twin.getMessage());
        r.run(loaders(FakeLoader.train(1, 10, 3), null), workflow("train:1"));
        Path file = r.saveCheckpoint(workDir, "final.safetensors");
        Checkpoint ck = CheckpointFiles.read(file);
        assertEquals("best=0.93", ck.metadata().get("hook.keeper.state"));
        assertEquals("", ck.metadata().get("hook.other.state"));

        FakeModel m2 = new FakeModel(3, 3);
        Runner resumed = new EpochRunnerProvider().create(RunnerSettings.builder(m2, new FakeOptimizer(m2))
                .workDir(workDir).seed(11).options(ConfigFactory.parseMap(Map.of("max-epochs", 2))).build());
        RecordingHook h2 = new RecordingHook("keeper", new ArrayList<>());
        resumed.registerHook(h2, Priority.NORMAL);
        resumed.resume(file);
        assertNull(h2.loadedState(), "hook states are restored when the run starts");
        assertEquals(2, resumed.epoch());
        assertEquals(8, resumed.iter());
        assertEquals(model.paramsText(), m2.paramsText());
        assertEquals(RunOutcome.COMPLETED, resumed.run(loaders(FakeLoader.train(1, 10, 3), null), workflow("train:1")));
        assertEquals("best=0.93", h2.loadedState());
        assertEquals(List.of(), m2.seen(), "nothing left to do");
        assertEquals(8, m2.trainSteps(), "the model's step count came with its state");
    }

    @Test
    void resumeRejectsCheckpointsOfAnotherRunnerOrFormat() {
        Checkpoint iterCk = new Checkpoint();
        iterCk.putMetadata("stride.format", "stride-checkpoint/1");
        iterCk.putMetadata("runner.type", "iter");
        Path iterFile = workDir.resolve("iter_10.safetensors");
        CheckpointFiles.write(iterFile, iterCk);
        BadInputException e = assertThrows(BadInputException.class, () -> runner(1).resume(iterFile));
        assertTrue(e.getMessage().contains("'iter' runner"), e.getMessage());
        assertTrue(e.getMessage().contains("runner.type = iter"), e.getMessage());

        Checkpoint plain = new Checkpoint();
        plain.putMetadata("format", "pt");
        Path plainFile = workDir.resolve("model.safetensors");
        CheckpointFiles.write(plainFile, plain);
        e = assertThrows(BadInputException.class, () -> runner(1).resume(plainFile));
        assertTrue(e.getMessage().contains("not a Stride checkpoint"), e.getMessage());

        Path missing = workDir.resolve("epoch_9.safetensors");
        CorruptCheckpointException c = assertThrows(CorruptCheckpointException.class, () -> runner(1).resume(missing));
        assertTrue(c.getMessage().contains(missing.toString()), c.getMessage());
    }

    @Test
    void providerIsNamedEpochAndFoundByServiceLoader() {
        EpochRunnerProvider p = new EpochRunnerProvider();
        assertEquals("epoch", p.name());
        assertFalse(p.description().isBlank());
        assertTrue(ServiceLoader.load(RunnerProvider.class).stream().anyMatch(s -> s.type() == EpochRunnerProvider.class),
                "declared in META-INF/services");
        assertEquals(1, ConfigFactory.defaultReference().getInt("stride.runner.epoch.max-epochs"), "defaults in reference.conf");
    }
}
