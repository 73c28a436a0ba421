package dev.stride.hooks.builtin.schedule;

import static dev.stride.hooks.builtin.schedule.MmcvScheduleValuesTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.launcher.Options;
import dev.stride.launcher.Problems;
import dev.stride.launcher.ProviderRegistry;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.spi.ProviderKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every combination MMCV rejects, and the options that do not fit the chosen policy, are
 * BadInputExceptions naming the option (and where it was written): at construction when the
 * options alone tell, else at before-run.
 */
class ScheduleConfigErrorsTest {
    private static BadInputException lrError(String hocon) {
        return assertThrows(BadInputException.class, () -> ScheduleRun.hook("lr-schedule", hocon));
    }

    private static BadInputException momentumError(String hocon) {
        return assertThrows(BadInputException.class, () -> ScheduleRun.hook("momentum-schedule", hocon));
    }

    /** At construction: each row is options, then a part of the message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "by-epoch = false | the option 'policy' of lr-schedule is missing: set policy = one of fixed, step",
        "policy = cosin, min-lr = 0 | unknown lr-schedule policy 'cosin' (did you mean 'cosine'?)",
        "policy = CosineAnnealing, min-lr = 0 | unknown lr-schedule policy 'CosineAnnealing' (did you mean 'cosine'?)",
        "policy = OneCycleLrUpdaterHook | (did you mean 'one-cycle'?)",
        "policy = cosine, min-lr = 0, gamma = 0.1 | gamma: the option does not apply to lr-schedule policy 'cosine' (it belongs to step, exp, inv, cyclic)",
        "policy = fixed, max-lr = 0.1 | max-lr: the option does not apply to lr-schedule policy 'fixed' (it belongs to one-cycle): remove it; policy 'fixed' takes no options of its own",
        "policy = cosine, min-lr = 0.1, min-lr-ratio = 0 | takes either min-lr or min-lr-ratio, not both",
        "policy = cosine | needs the value it anneals to: set min-lr (absolute) or min-lr-ratio",
        "policy = linear | needs the value it anneals to",
        "policy = flat-cosine | needs the value it anneals to",
        "policy = cosine-restart, periods = [5] | needs the value it anneals to",
        "policy = cyclic, by-epoch = true | by-epoch: the lr-schedule policy 'cyclic' changes the lr every iteration and supports only by-epoch = false",
        "policy = one-cycle, max-lr = 0.1, by-epoch = true | by-epoch: the lr-schedule policy 'one-cycle'",
        "policy = fixed, warmup = linear, warmup-iters = 5, warmup-ratio = 0 | warmup-ratio: expected the warm-up's starting fraction of the lr in (0, 1], got 0.0",
        "policy = fixed, warmup = linear, warmup-iters = 5, warmup-ratio = 1.5 | warmup-ratio: expected",
        "policy = fixed, warmup = linear | String: 1: warmup-iters: warmup = linear needs warmup-iters of at least 1",
        "policy = fixed, warmup = lineer, warmup-iters = 3 | warmup: unknown value 'lineer' (did you mean 'linear'?); use one of constant, linear, exp",
        "policy = fixed, warmup-iters = 2.5 | warmup-iters: expected a whole number",
        "policy = step | the lr-schedule policy 'step' needs 'step'",
        "policy = step, step = -10 | step: expected a whole number of at least 1",
        "policy = step, step = [10, 16, -20] | step: expected whole numbers of at least 1",
        "policy = step, step = 2.5 | step: expected a whole number of at least 1, got '2.5'",
        "policy = step, step = [3], gamma = abc | gamma: expected a number, got 'abc'",
        "policy = exp | the lr-schedule policy 'exp' needs 'gamma'",
        "policy = inv | the lr-schedule policy 'inv' needs 'gamma'",
        "policy = cosine-restart, periods = [2, 10], restart-weights = [0.5], min-lr-ratio = 0 | restart-weights: 1 weight [0.5] for 2 periods [2, 10]: give one weight per period, e.g. restart-weights = [1, 1]",
        "policy = cosine-restart, periods = [2, 10], min-lr-ratio = 0 | need one restart weight each, and restart-weights defaults to [1] (as in MMCV)",
        "policy = cosine-restart, min-lr = 0 | needs 'periods'",
        "policy = cyclic, target-ratio = [10.0, 0.1, 0.2] | target-ratio: expected a number or a list of two numbers",
        "policy = cyclic, step-ratio-up = 1.4 | step-ratio-up: expected the rising part of a cycle as a fraction in [0, 1)",
        "policy = cyclic, anneal-strategy = sin | anneal-strategy: unknown value 'sin'; use one of cos, linear",
        "policy = cyclic, gamma = 0 | gamma: expected the cycle decay in (0, 1]",
        "policy = cyclic, cyclic-times = 0 | cyclic-times: expected a whole number of at least 1",
        "policy = flat-cosine, start-percent = -0.1, min-lr-ratio = 0 | start-percent: expected a fraction of the run between 0 and 1",
        "policy = one-cycle | the lr-schedule policy 'one-cycle' needs 'max-lr'",
        "policy = one-cycle, max-lr = 0.1, pct-start = -0.1 | pct-start: expected the rising part of the cycle as a fraction between 0 and 1",
        "policy = one-cycle, max-lr = 0.1, anneal-strategy = sin | anneal-strategy: unknown value 'sin'",
        "policy = one-cycle, max-lr = 0.1, total-steps = 2.5 | total-steps: expected a whole number",
        "policy = one-cycle, max-lr = 0.1, div-factor = 0 | div-factor: expected a number above 0",
        "policy = one-cycle, max-lr = 0.1, three-phase = maybe | three-phase: expected true or false",
    })
    void lrOptionsRejectedAtConstruction(String hocon, String message) {
        assertContains(lrError(hocon).getMessage(), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "policy = exp, gamma = 0.9 | unknown momentum-schedule policy 'exp'; use one of step, cosine, linear, cyclic, one-cycle",
        "policy = cosine | set min-momentum (absolute) or min-momentum-ratio",
        "policy = cosine, min-momentum = 0.8, min-momentum-ratio = 0.9 | takes either min-momentum or min-momentum-ratio, not both",
        "policy = cyclic, by-epoch = true | by-epoch: the momentum-schedule policy 'cyclic' changes the momentum every iteration",
        "policy = one-cycle, by-epoch = true | by-epoch: the momentum-schedule policy 'one-cycle'",
        "policy = one-cycle, pct-start = 1.5 | pct-start: expected",
        "policy = step, step = [4], target-ratio = 0.9 | target-ratio: the option does not apply to momentum-schedule policy 'step' (it belongs to cyclic)",
        "policy = step, step = [4], warmup = constant, warmup-iters = 2, warmup-ratio = 0 | warmup-ratio: expected the warm-up's starting fraction of the momentum in (0, 1]",
    })
    void momentumOptionsRejectedAtConstruction(String hocon, String message) {
        assertContains(momentumError(hocon).getMessage(), message);
    }

    @Test
    void severalMisplacedOptionsAreAllReported() {
        String m = lrError("policy = cosine, min-lr = 0, step = [3], max-lr = 0.1").getMessage();
        assertContains(m, "max-lr: the option does not apply");
        assertContains(m, "step: the option does not apply");
    }

    @Test
    void misplacedOptionNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.conf");
        Files.writeString(file, "policy = cosine\nmin-lr-ratio = 0.01\ngamma = 0.5\n");
        Config merged = merged(new LrScheduleProvider(), ConfigFactory.parseFile(file.toFile()));
        BadInputException e = assertThrows(BadInputException.class, () -> new LrScheduleProvider().create(merged));
        assertContains(e.getMessage(), "job.conf:3: gamma: the option does not apply to lr-schedule policy 'cosine'");
    }

    /** Options of the other hook are unknown to this one: schedules.conf lists each hook's own. */
    @Test
    void optionsOfTheOtherHookAreUnknown() {
        assertContains(lrError("policy = cosine, min-momentum = 0").getMessage(), "unknown option 'min-momentum'");
        assertContains(momentumError("policy = step, step = 2, warmup-by-epoch = true").getMessage(),
                "unknown option 'warmup-by-epoch'");
        assertContains(momentumError("policy = step, step = 2, max-lr = 1").getMessage(), "unknown option 'max-lr'");
    }

    /** Without the defaults merged in, an option nobody knows is still named. */
    @Test
    void unknownOptionWithoutDefaults() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new LrScheduleProvider().create(ConfigFactory.parseString("policy = fixed, gama = 0.1")));
        assertContains(e.getMessage(), "gama: unknown option of lr-schedule (did you mean 'gamma'?)");
    }

    /** MMCV accepts warm-up options without a warm-up and ignores them; so does Stride. */
    @Test
    void warmupOptionsWithoutWarmupAreAccepted() {
        ScheduleRun.hook("lr-schedule", "policy = cosine, min-lr-ratio = 0, warmup-iters = 2, warmup-ratio = 0.9");
    }

    /** schedules.conf lists exactly the options the hooks read: the common ones and every policy's. */
    @Test
    void defaultsListEveryOption() {
        for (Target t : Target.values()) {
            Set<String> used = new TreeSet<>(t.commonOptions());
            t.policies().values().forEach(p -> used.addAll(p.options()));
            var provider = t == Target.LR ? new LrScheduleProvider() : new MomentumScheduleProvider();
            Set<String> listed = new TreeSet<>(ProviderRegistry.defaults(ProviderKind.HOOK, provider).root().keySet());
            assertEquals(used, listed, t.hookName());
        }
    }

    // ---- at before-run: what depends on the run ----

    @Test
    void byEpochWithTheIterRunner() {
        ScheduleRun h = ScheduleRun.iters(10, 5).mmcvSingle().lr("policy = step, step = [3]");
        assertContains(assertThrows(BadInputException.class, h::run).getMessage(),
                "lr-schedule (policy 'step') has by-epoch = true, but the 'iter' runner does not run epochs");
    }

    @Test
    void cyclicTimesLongerThanTheRun() {
        ScheduleRun h = ScheduleRun.iters(4, 5).mmcvSingle().lr("policy = cyclic, cyclic-times = 5");
        assertContains(assertThrows(BadInputException.class, h::run).getMessage(),
                "cyclic-times: 5 cycles do not fit in max-iters = 4");
    }

    @Test
    void cosineRestartByEpochTooShort() {
        ScheduleRun h = ScheduleRun.epochs(6, 2).mmcvSingle().lr("policy = cosine-restart, periods = [2, 3], restart-weights = [1, 1],"
                + " min-lr = 0");
        assertContains(assertThrows(BadInputException.class, h::run).getMessage(),
                "add up to 5 epochs, but the run has max-epochs = 6");
    }

    @Test
    void oneCycleMaxLrPerGroupMismatch() {
        ScheduleRun h = ScheduleRun.iters(10, 5).mmcvMulti().lr("policy = one-cycle, max-lr = [0.1, 0.2, 0.3]");
        assertContains(assertThrows(BadInputException.class, h::run).getMessage(),
                "max-lr: the optimizer has 2 parameter groups but max-lr lists 3 values");
    }

    @Test
    void oneCycleMomentumPerGroupMismatch() {
        ScheduleRun h = ScheduleRun.iters(10, 5).mmcvSingle().momentum("policy = one-cycle, base-momentum = [0.8, 0.85]");
        assertContains(assertThrows(BadInputException.class, h::run).getMessage(),
                "base-momentum: the optimizer has 1 parameter group but base-momentum lists 2 values");
    }

    /** pct-start * total-steps = 1: a rising phase of 0 steps, where MMCV divides by zero. */
    @Test
    void oneCycleEmptyRisingPhase() {
        ScheduleRun h = ScheduleRun.iters(10, 5).mmcvSingle().lr("policy = one-cycle, max-lr = 0.1, pct-start = 0.1");
        assertContains(assertThrows(BadInputException.class, h::run).getMessage(),
                "pct-start: pct-start = 0.1 of max-iters = 10 makes the rising phase 0 steps long");
    }

    private static Config merged(LrScheduleProvider p, Config user) {
        Problems problems = new Problems();
        Config merged = Options.merge(user, "hooks[0]", "hook 'lr-schedule'", ProviderRegistry.defaults(ProviderKind.HOOK, p),
                Set.of("type", "priority"), problems);
        problems.throwIfAny("the test config");
        return merged;
    }
}
