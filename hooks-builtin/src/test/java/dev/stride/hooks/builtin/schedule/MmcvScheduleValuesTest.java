package dev.stride.hooks.builtin.schedule;

import static dev.stride.hooks.builtin.schedule.MmcvValues.at;
import static dev.stride.hooks.builtin.schedule.MmcvValues.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stride.runner.api.BadInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The expected values of MMCV 1.7's tests/test_runner/test_hooks.py, reproduced by driving real
 * runners and reading what the optimizer used at each step. MMCV's demo runner: an epoch runner,
 * max-epochs 1, a loader of 10 batches (30 for the int step test), SGD lr 0.02 momentum 0.95, or
 * two optimizers (0.02 / 0.95 and 0.01 / 0.9), played here by two parameter groups.
 */
class MmcvScheduleValuesTest {
    /** Exact text of Python's 0.85 / 0.95 etc., so HOCON carries the same doubles. */
    private static String d(double x) {
        return Double.toString(x);
    }

    private static ScheduleRun demo(boolean multi) {
        ScheduleRun h = ScheduleRun.epochs(1, 10);
        return multi ? h.mmcvMulti() : h.mmcvSingle();
    }

    @AfterAll
    static void report() {
        System.out.println("MMCV expected values reproduced: " + MmcvValues.CHECKED.get() + " ("
                + MmcvValues.BIT_EXACT.get() + " bit for bit)");
    }

    @Test
    void momentumRunnerHookCyclicMulti() {
        ScheduleRun.Recorded r = demo(true)
                .momentum("policy = cyclic, by-epoch = false, target-ratio = [" + d(0.85 / 0.95)
                        + ", 1], cyclic-times = 1, step-ratio-up = 0.4, gamma = 1")
                .lr("policy = cyclic, by-epoch = false, target-ratio = [10, 1], cyclic-times = 1, step-ratio-up = 0.4")
                .run();
        at(r, 1, v(0.01999999999999999, 0.009999999999999995), v(0.95, 0.9));
        at(r, 5, v(0.2, 0.1), v(0.85, 0.8052631578947369));
        at(r, 7, v(0.155, 0.0775), v(0.875, 0.8289473684210527));
    }

    @Test
    void momentumRunnerHookCyclicSingle() {
        ScheduleRun.Recorded r = demo(false)
                .momentum("policy = cyclic, by-epoch = false, target-ratio = [" + d(0.85 / 0.95)
                        + ", 1], cyclic-times = 2, step-ratio-up = 0.4, gamma = 0.5")
                .lr("policy = cyclic, by-epoch = false, target-ratio = [10, 1], cyclic-times = 1, step-ratio-up = 0.4")
                .run();
        at(r, 1, v(0.01999999999999999), v(0.95));
        at(r, 3, v(0.11), v(0.85));
        at(r, 6, v(0.1879422863405995), v(0.95));
        at(r, 8, v(0.11000000000000001), v(0.9));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void momentumRunnerHookConstantWarmup(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = step, by-epoch = false, warmup = constant, warmup-iters = 5, warmup-ratio = 0.5,"
                        + " step = [10]")
                .run();
        at(r, 1, lrs(multi), multi ? v(1.9, 1.8) : v(1.9));
        at(r, 5, lrs(multi), multi ? v(1.9, 1.8) : v(1.9));
        at(r, 10, lrs(multi), multi ? v(0.95, 0.9) : v(0.95));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void momentumRunnerHookLinearWarmup(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = step, by-epoch = false, warmup = linear, warmup-iters = 5, warmup-ratio = 0.5,"
                        + " step = [10]")
                .run();
        at(r, 1, lrs(multi), multi ? v(1.9, 1.8) : v(1.9));
        at(r, 3, lrs(multi), multi ? v(1.3571428571428572, 1.2857142857142858) : v(1.3571428571428572));
        at(r, 10, lrs(multi), multi ? v(0.95, 0.9) : v(0.95));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void momentumRunnerHookExpWarmup(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = step, by-epoch = false, warmup = exp, warmup-iters = 5, warmup-ratio = 0.5,"
                        + " step = [10]")
                .run();
        at(r, 1, lrs(multi), multi ? v(1.9, 1.8) : v(1.9));
        at(r, 3, lrs(multi), multi ? v(1.4399307381848783, 1.3641449098593583) : v(1.4399307381848783));
        at(r, 10, lrs(multi), multi ? v(0.95, 0.9) : v(0.95));
    }

    private static double[] lrs(boolean multi) {
        return multi ? v(0.02, 0.01) : v(0.02);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cosineRunnerHook(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = cosine, min-momentum-ratio = " + d(0.99 / 0.95) + ", by-epoch = false,"
                        + " warmup-iters = 2, warmup-ratio = " + d(0.9 / 0.95))
                .lr("policy = cosine, by-epoch = false, min-lr-ratio = 0, warmup-iters = 2, warmup-ratio = 0.9")
                .run();
        if (multi) {
            at(r, 1, v(0.02, 0.01), v(0.95, 0.9));
            at(r, 6, v(0.01, 0.005), v(0.97, 0.9189473684210527));
            at(r, 10, v(0.0004894348370484647, 0.00024471741852423234), v(0.9890211303259032, 0.9369673866245399));
        } else {
            at(r, 1, v(0.02), v(0.95));
            at(r, 6, v(0.01), v(0.97));
            at(r, 10, v(0.0004894348370484647), v(0.9890211303259032));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void linearRunnerHook(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = linear, min-momentum-ratio = " + d(0.99 / 0.95) + ", by-epoch = false,"
                        + " warmup-iters = 2, warmup-ratio = " + d(0.9 / 0.95))
                .lr("policy = linear, by-epoch = false, min-lr-ratio = 0, warmup-iters = 2, warmup-ratio = 0.9")
                .run();
        if (multi) {
            at(r, 1, v(0.02, 0.01), v(0.95, 0.9));
            at(r, 6, v(0.01, 0.005), v(0.97, 0.9189473684210527));
            at(r, 10, v(0.0019999999999999983, 0.0009999999999999992), v(0.9860000000000001, 0.9341052631578949));
        } else {
            at(r, 1, v(0.02), v(0.95));
            at(r, 6, v(0.01), v(0.97));
            at(r, 10, v(0.0019999999999999983), v(0.9860000000000001));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single,iter", "multi,iter", "single,epoch", "multi,epoch"})
    void flatCosineRunnerHook(String variant) {
        boolean multi = variant.startsWith("multi");
        boolean byEpoch = variant.endsWith("epoch");
        ScheduleRun h = ScheduleRun.epochs(byEpoch ? 10 : 1, 10);
        h = multi ? h.mmcvMulti() : h.mmcvSingle();
        ScheduleRun.Recorded r = h.lr("policy = flat-cosine, by-epoch = " + byEpoch + ", min-lr-ratio = 0,"
                + " warmup = linear, warmup-iters = " + (byEpoch ? 10 : 2) + ", warmup-ratio = 0.9, start-percent = 0.5")
                .run();
        int[] steps = byEpoch ? new int[] {1, 11, 61, 100} : new int[] {1, 6, 7, 10};
        double[][] lrs = {
            v(0.018000000000000002, 0.009000000000000001),
            v(0.02, 0.01),
            v(0.018090169943749474, 0.009045084971874737),
            v(0.0019098300562505265, 0.0009549150281252633)};
        for (int i = 0; i < steps.length; i++) {
            at(r, steps[i], multi ? lrs[i] : v(lrs[i][0]), multi ? v(0.95, 0.9) : v(0.95));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void oneCycleRunnerHook(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = one-cycle, base-momentum = 0.85, max-momentum = 0.95, pct-start = 0.5,"
                        + " anneal-strategy = cos, three-phase = false")
                .lr("policy = one-cycle, max-lr = 0.01, pct-start = 0.5, anneal-strategy = cos, div-factor = 25,"
                        + " final-div-factor = 1e4, three-phase = false")
                .run();
        double[][] lrs = {v(0.0003999999999999993), v(0.00904508879153485), v(4e-08)};
        double[][] moms = {v(0.95), v(0.8595491502812526), v(0.95)};
        int[] steps = {1, 6, 10};
        for (int i = 0; i < steps.length; i++) {
            at(r, steps[i], multi ? v(lrs[i][0], lrs[i][0]) : lrs[i], multi ? v(moms[i][0], moms[i][0]) : moms[i]);
        }
    }

    /** MMCV: total-steps 5 with max-iters 10 raises; with max-iters 2 the last lr equals torch's OneCycleLR. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void oneCycleTotalSteps(boolean multi) {
        String options = "policy = one-cycle, max-lr = 0.01, total-steps = 5, pct-start = 0.5, anneal-strategy = linear,"
                + " div-factor = 25, final-div-factor = 1e4";
        ScheduleRun tooLong = ScheduleRun.iters(10, 10);
        (multi ? tooLong.mmcvMulti() : tooLong.mmcvSingle()).lr(options);
        BadInputException e = assertThrows(BadInputException.class, tooLong::run);
        assertContains(e.getMessage(), "total-steps = 5 is less than the run's max-iters = 10");

        ScheduleRun ok = ScheduleRun.iters(2, 10);
        (multi ? ok.mmcvMulti() : ok.mmcvSingle()).lr(options);
        ScheduleRun.Recorded r = ok.run();
        // torch.optim.lr_scheduler.OneCycleLR(total_steps=5, pct_start=0.5, linear): initial lr 0.01 / 25, the
        // first phase ends at step 5 * 0.5 - 1 = 1.5; at step 1: (end - start) * pct + start.
        double initial = 0.01 / 25;
        double torch = (0.01 - initial) * (1 / 1.5) + initial;
        assertEquals(torch, ok.runner().currentLr(), 1e-12);
        assertEquals(torch, r.lr(2, 0), 1e-12);
        assertEquals(initial, r.lr(1, 0), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cosineRestartLrUpdateHook(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .lr("policy = cosine-restart, by-epoch = false, periods = [5, 5], restart-weights = [0.5, 0.5],"
                        + " min-lr-ratio = 0")
                .run();
        double[][] lrs = {v(0.01, 0.005), v(0.01, 0.005), v(0.0009549150281252633, 0.00047745751406263163)};
        int[] steps = {1, 6, 10};
        for (int i = 0; i < steps.length; i++) {
            at(r, steps[i], multi ? lrs[i] : v(lrs[i][0]), multi ? v(0.95, 0.9) : v(0.95));
        }
    }

    @Test
    void cosineRestartPeriodsShorterThanTheRun() {
        ScheduleRun h = demo(false).lr("policy = cosine-restart, by-epoch = false, periods = [5, 2],"
                + " restart-weights = [0.5, 0.5], min-lr = 0.0001");
        BadInputException e = assertThrows(BadInputException.class, h::run);
        assertContains(e.getMessage(), "add up to 7 iterations, but the run has max-iters = 10");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void stepRunnerHookIntStep(boolean multi) {
        ScheduleRun h = ScheduleRun.epochs(1, 30);
        ScheduleRun.Recorded r = (multi ? h.mmcvMulti() : h.mmcvSingle())
                .momentum("policy = step, by-epoch = false, step = 5, gamma = 0.5, min-momentum = 0.05")
                .lr("policy = step, by-epoch = false, step = 5, gamma = 0.5, min-lr = 1e-3")
                .run();
        int[] steps = {1, 6, 16, 21, 26, 30};
        double[][] lrs = {v(0.02, 0.01), v(0.01, 0.005), v(0.0025, 0.00125), v(0.00125, 0.001), v(0.001, 0.001),
            v(0.001, 0.001)};
        double[][] moms = {v(0.95, 0.9), v(0.475, 0.45), v(0.11875, 0.1125), v(0.059375, 0.05625), v(0.05, 0.05),
            v(0.05, 0.05)};
        for (int i = 0; i < steps.length; i++) {
            at(r, steps[i], multi ? lrs[i] : v(lrs[i][0]), multi ? moms[i] : v(moms[i][0]));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void stepRunnerHookListStep(boolean multi) {
        ScheduleRun.Recorded r = demo(multi)
                .momentum("policy = step, by-epoch = false, step = [4, 6, 8], gamma = 0.1")
                .lr("policy = step, by-epoch = false, step = [4, 6, 8], gamma = 0.1")
                .run();
        int[] steps = {1, 5, 7, 9};
        double[][] lrs = {v(0.02, 0.01), v(0.002, 0.001), v(2.0000000000000004e-4, 1.0000000000000002e-4),
            v(2.0000000000000005e-05, 1.0000000000000003e-05)};
        double[][] moms = multi
                ? new double[][] {v(0.95, 0.9), v(9.5e-2, 9.000000000000001e-2), v(9.500000000000001e-3, 9.000000000000003e-3),
                    v(9.500000000000002e-4, 9.000000000000002e-4)}
                : new double[][] {v(0.95), v(0.095), v(9.500000000000001e-3), v(9.500000000000002e-4)};
        for (int i = 0; i < steps.length; i++) {
            at(r, steps[i], multi ? lrs[i] : v(lrs[i][0]), moms[i]);
        }
    }

    @Test
    void cyclicLrUpdateHookMulti() {
        ScheduleRun.Recorded r = ScheduleRun.iters(8, 10).mmcvMulti()
                .lr("policy = cyclic, by-epoch = false, target-ratio = [10.0, 1.0], cyclic-times = 1, step-ratio-up = 0.5,"
                        + " anneal-strategy = linear, gamma = 1")
                .run();
        at(r, 1, v(0.02, 0.01), v(0.95, 0.9));
        at(r, 4, v(0.155, 0.0775), v(0.95, 0.9));
        at(r, 6, v(0.155, 0.0775), v(0.95, 0.9));
    }

    @Test
    void cyclicLrUpdateHookSingle() {
        ScheduleRun.Recorded r = ScheduleRun.iters(8, 10).mmcvSingle()
                .lr("policy = cyclic, by-epoch = false, target-ratio = [10.0, 1.0], cyclic-times = 2, step-ratio-up = 0.5,"
                        + " anneal-strategy = linear, gamma = 0.5")
                .run();
        at(r, 1, v(0.02), v(0.95));
        at(r, 4, v(0.11), v(0.95));
        at(r, 6, v(0.065), v(0.95));
        at(r, 7, v(0.11), v(0.95));
    }

    static void assertContains(String text, String part) {
        if (!text.contains(part)) {
            throw new AssertionError("expected the message to contain\n  " + part + "\nbut it was\n  " + text);
        }
    }
}
