package dev.stride.hooks.builtin.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Priority;
import dev.stride.runner.api.Runner;
import dev.stride.runner.testkit.FakeLoader;
import dev.stride.runner.testkit.Harness;
import dev.stride.runner.testkit.ThreadRanks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalHookTest {
    @TempDir
    Path dir;

    @Test
    void evaluatesEveryIntervalEpochs() {
        assertEquals(List.of("epoch 2", "epoch 4"), evaluations(Harness.epochs(5, 3), "interval = 2"));
    }

    @Test
    void startGivesTheFirstEpochThenEveryInterval() {
        assertEquals(List.of("epoch 3", "epoch 4", "epoch 5"), evaluations(Harness.epochs(5, 3), "start = 3"));
        assertEquals(List.of("epoch 1", "epoch 3", "epoch 5"), evaluations(Harness.epochs(5, 3), "start = 1, interval = 2"));
    }

    @Test
    void byEpochFalseCountsIterations() {
        assertEquals(List.of("iter 4", "iter 8"), evaluations(Harness.epochs(3, 3), "interval = 4, by-epoch = false"));
    }

    @Test
    void theIterRunnerCountsIterationsByDefault() {
        assertEquals(List.of("iter 5", "iter 10"), evaluations(Harness.iters(10, 3), "interval = 5"));
        assertEquals(List.of("iter 6", "iter 9"), evaluations(Harness.iters(10, 3), "interval = 3, start = 6"));
    }

    @Test
    void reportsTheSampleWeightedMeansOfTheWholeValLoader() {
        // 3 val batches of 2 samples: accuracy 0.2, 0.5, 0.8 -> mean 0.5; loss 1, 2, 3 -> 2
        Harness run = Harness.epochs(1, 2).in(dir).val(FakeLoader.of(3)).hook("eval");
        run.model().valResults(n -> Map.of("loss", 1.0 + n % 3, "accuracy", 0.2 + 0.3 * (n % 3)));
        run.run();
        Map<String, Double> out = run.runner().logBuffer(Mode.VAL).output();
        assertEquals(0.5, out.get("accuracy"), 1e-12);
        assertEquals(2.0, out.get("loss"), 1e-12);
        assertEquals(3, run.model().valSteps());
    }

    /**
     * Val data split among 2 ranks (threads here, Spark's ranks in a run): each rank evaluates its
     * half and the hook adds the other's sums, so both report what one process evaluating all of it
     * reports, and keep the same best checkpoint decision.
     */
    @Test
    void withTheValDataSplitAmongRanksEveryRankReportsTheWholeValSet() {
        Harness one = Harness.epochs(1, 2).in(dir).val(new FakeLoader("val", 5, 12, 1, 1000)).hook("eval");
        one.run();
        Map<String, Double> whole = one.runner().logBuffer(Mode.VAL).output();
        ThreadRanks ranks = new ThreadRanks(2);
        List<Map<String, Double>> split = ranks.run(r -> {
            Harness h = Harness.epochs(1, 2).in(dir.resolve("rank" + r)).rank(r, ranks, true)
                    .val(new FakeLoader("val", 5, 6, 1, 1000 + 6 * r)).hook("eval");
            h.run();
            assertEquals(6, h.model().valSteps());
            return h.runner().logBuffer(Mode.VAL).output();
        });
        assertEquals(split.get(0), split.get(1));
        assertEquals(whole.keySet(), split.get(0).keySet());
        whole.forEach((k, v) -> assertEquals(v, split.get(0).get(k), 1e-12 * Math.abs(v), k));
        // without the split each rank reports its half
        List<Map<String, Double>> halves = ranks.run(r -> {
            Harness h = Harness.epochs(1, 2).in(dir.resolve("half" + r)).rank(r, ranks, false)
                    .val(new FakeLoader("val", 5, 6, 1, 1000 + 6 * r)).hook("eval");
            h.run();
            return h.runner().logBuffer(Mode.VAL).output();
        });
        assertTrue(Math.abs(halves.get(0).get("loss") - whole.get("loss")) > 1e-6 * whole.get("loss"), halves + " " + whole);
    }

    @Test
    void saveBestKeepsTheBestEvaluation() throws IOException {
        Harness run = Harness.epochs(3, 2).in(dir).val(FakeLoader.of(1)).hook("eval", "save-best = accuracy");
        double[] acc = {0.5, 0.9, 0.7};
        run.model().valResults(n -> Map.of("loss", 1.0, "accuracy", acc[(int) n]));
        run.run();
        assertEquals(List.of("best_accuracy_epoch_2.safetensors"), files());
    }

    @Test
    void saveBestOnAMetricTheEvaluationLacksNamesTheOnesItHas() {
        Harness run = Harness.epochs(3, 2).in(dir).val(FakeLoader.of(1)).hook("eval", "save-best = accuracy_top5");
        run.model().valResults(n -> Map.of("loss", 1.0, "accuracy", 0.5));
        BadInputException e = assertThrows(BadInputException.class, run::run);
        assertTrue(e.getMessage().contains("save-best = accuracy_top5: the val results have no metric 'accuracy_top5'")
                && e.getMessage().matches(".*they have (loss, accuracy|accuracy, loss): set save-best to one of them"),
                e.getMessage());
    }

    @Test
    void saveBestWithRuleLess() throws IOException {
        Harness run = Harness.iters(6, 2).in(dir).val(FakeLoader.of(1)).hook("eval",
                "interval = 2, save-best = accuracy, rule = less");
        double[] acc = {0.5, 0.3, 0.7};
        run.model().valResults(n -> Map.of("accuracy", acc[(int) n]));
        run.run();
        assertEquals(List.of("best_accuracy_iter_4.safetensors"), files());
    }

    @Test
    void needsValData() {
        Harness run = Harness.epochs(1, 2).in(dir).val(null).hook("eval");
        BadInputException e = assertThrows(BadInputException.class, run::run);
        assertTrue(e.getMessage().contains("data.val"), e.getMessage());
    }

    /** When the eval hook reported results, as "epoch N" (completed epochs) or "iter N". */
    private List<String> evaluations(Harness run, String options) {
        List<String> when = new ArrayList<>();
        long[] seen = {0};
        run.in(dir).hook("eval", options).hook(new Hook() {
            @Override
            public void afterTrainIter(Runner r) {
                check(r, "iter " + (r.iter() + 1));
            }

            @Override
            public void afterTrainEpoch(Runner r) {
                check(r, "epoch " + (r.epoch() + 1));
            }

            private void check(Runner r, String at) {
                LogBuffer val = r.logBuffer(Mode.VAL);
                if (val.outputVersion() != seen[0]) {
                    seen[0] = val.outputVersion();
                    when.add(at);
                }
            }
        }, Priority.LOWEST).run();
        return when;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
        }
    }
}
