package dev.stride.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.api.support.BaseRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner that leaves its state inconsistent fails loudly, naming itself: it never reports a run
 * that did not happen as completed, and never trains an empty epoch silently.
 */
class InconsistentRunnerTest {
    @TempDir
    Path dir;

    /** A provider of runners built by {@code make}, named "faulty". */
    private static RunnerProvider provider(Function<RunnerSettings, BaseRunner> make) {
        return new RunnerProvider() {
            @Override
            public String name() {
                return "faulty";
            }

            @Override
            public int spiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public BaseRunner create(RunnerSettings settings) {
                return make.apply(settings);
            }
        };
    }

    private abstract static class Faulty extends BaseRunner {
        Faulty(RunnerSettings settings) {
            super(settings, Unit.EPOCHS);
            setMaxEpochs(3);
        }

        @Override
        public String name() {
            return "faulty";
        }
    }

    @Test
    void aLoopThatEndsBeforeTheLimitWithoutAStopRequestFails() {
        Harness h = Harness.runner(provider(s -> new Faulty(s) {
            @Override
            protected void loop(Workflow workflow) {
                runEpoch(Mode.TRAIN); // one epoch of three, then returns
            }
        }), Map.of()).in(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, h::run);
        assertTrue(e.getMessage().contains("runner 'faulty' ended its walk at epoch 1 of 3"), e.getMessage());
        assertEquals(4, h.model().trainSteps(), "the one epoch it ran");
        assertTrue(h.calls().stream().noneMatch(c -> c.stage().equals("afterRun")), "no afterRun: the run is not done");
    }

    @Test
    void anEpochLongerThanItsLoaderFails() {
        Harness h = Harness.runner(provider(s -> new Faulty(s) {
            @Override
            protected int epochLength(Mode mode, int epoch) {
                return super.epochLength(mode, epoch) + 1;
            }
        }), Map.of()).in(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, h::run);
        assertTrue(e.getMessage().contains("runner 'faulty' asked for an epoch of 5 train batches; the loader has 4"),
                e.getMessage());
    }

    @Test
    void anEmptyTrainEpochFails() {
        Harness h = Harness.runner(provider(s -> new Faulty(s) {
            @Override
            protected int epochLength(Mode mode, int epoch) {
                return mode == Mode.TRAIN ? 0 : super.epochLength(mode, epoch);
            }
        }), Map.of()).in(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, h::run);
        assertTrue(e.getMessage().contains("an epoch of 0 train batches"), e.getMessage());
        assertEquals(0, h.model().trainSteps());
    }

    @Test
    void aRunnerWithoutALimitFails() {
        Harness h = Harness.runner(provider(s -> new BaseRunner(s, BaseRunner.Unit.ITERATIONS) {
            @Override
            public String name() {
                return "faulty";
            }
        }), Map.of()).in(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, h::run);
        assertTrue(e.getMessage().contains("set no limit: call setMaxIters in its constructor"), e.getMessage());
    }
}
