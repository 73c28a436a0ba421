package dev.stride.runner.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.RunOutcome;
import dev.stride.runner.api.Runner;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import dev.stride.runner.testkit.StageCall;
import dev.stride.runner.testkit.StageTrace;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the stage calls of MMCV 1.7.2's own EpochBasedRunner (src/test/resources/mmcv, see its
 * README): the epoch runner, run by the testkit's harness on loaders of the same lengths (batch size
 * 1), must call the hooks at the same stages, in the same order, with the same mode, epoch, iter and
 * inner iter, and feed the same batches.
 */
class MmcvTraceTest {
    @TempDir
    Path dir;

    static StageTrace trace(String name) {
        InputStream in = MmcvTraceTest.class.getResourceAsStream("/mmcv/" + name + ".jsonl");
        assertNotNull(in, "src/test/resources/mmcv/" + name + ".jsonl");
        StageTrace t = StageTrace.readJsonLines(in, name);
        assertEquals("EpochBasedRunner", t.runner());
        return t;
    }

    /** The epoch runner over fake loaders of the trace's lengths, batch size 1, as MMCV's DataLoaders of batch_size=1. */
    private Harness harness(StageTrace t) {
        boolean val = t.workflow().modes().contains(Mode.VAL);
        return Harness.epochs((int) t.limit()).in(dir).workflow(t.workflow())
                .train(FakeLoader.train(0, t.batches(Mode.TRAIN), 1))
                .val(val ? FakeLoader.val(0, t.batches(Mode.VAL), 1) : null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoch_case_d", "epoch_case_e"})
    void stageCallsEqualMmcvs(String name) {
        StageTrace mmcv = trace(name);
        Harness h = harness(mmcv);
        Runner r = h.runner();
        assertEquals(mmcv.initial(), new StageCall("(init)", r.mode(), r.epoch(), r.iter(), r.innerIter()),
                "the counters of a new runner");
        assertEquals(RunOutcome.COMPLETED, h.run());
        assertEquals(StageCall.texts(mmcv.calls()), StageCall.texts(h.calls()), "every stage call, in order");
        assertEquals(mmcv.last(), new StageCall("final", r.mode(), r.epoch(), r.iter(), r.innerIter()),
                "the counters after the run");
    }

    private static final Pattern SEEN = Pattern.compile("(train|val) e\\d+ b(\\d+) .*");

    /**
     * Each step used the batch MMCV's used: MMCV's loaders are unshuffled lists of ints, 100 * (the
     * loader's index in the workflow) + the item, so a batch's item is its index in its epoch.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoch_case_d", "epoch_case_e"})
    void everyStepUsesTheBatchMmcvsUsed(String name) {
        StageTrace mmcv = trace(name);
        List<String> expected = new ArrayList<>();
        for (StageTrace.Row row : mmcv.rows()) {
            if (row.call().stage().startsWith("before") && row.call().stage().endsWith("Iter")) {
                Mode mode = row.call().mode();
                int loader = mmcv.workflow().phases().stream().map(p -> p.mode()).toList().indexOf(mode);
                long item = ((Number) ((List<?>) row.get("batch")).get(0)).longValue() - 100L * loader;
                expected.add(mode + " batch " + item);
            }
        }
        Harness h = harness(mmcv);
        h.run();
        List<String> actual = new ArrayList<>();
        for (String seen : h.model().seen()) {
            Matcher m = SEEN.matcher(seen);
            assertTrue(m.matches(), seen);
            actual.add(m.group(1) + " batch " + m.group(2));
        }
        assertEquals(expected, actual);
    }
}
