package dev.stride.hooks.builtin.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The policies and options MMCV's tests leave out (exp, poly, inv, fixed, warmup-by-epoch, warm-up
 * across epochs, three-phase one-cycle with per-group values, cyclic momentum with decay, a single
 * target ratio, Python's half-to-even rounding in flat-cosine, cosine-restart and momentum by
 * epoch). The expected sequences were produced by running MMCV 1.7.2's own lr_updater.py and
 * momentum_updater.py (imports stubbed) under a simulated runner that calls before_run,
 * before_train_epoch and before_train_iter in EpochBasedRunner / IterBasedRunner order; every
 * iteration of every group is compared. Groups: lr 0.02 / momentum 0.95 and 0.01 / 0.9.
 */
class MmcvSourceValuesTest {
    private static int checked;
    private static int exact;

    private static void expect(ScheduleRun.Recorded r, double[][] lrs, double[][] momenta) {
        assertEquals(lrs.length, r.steps(), "steps run");
        for (int i = 0; i < lrs.length; i++) {
            for (int g = 0; g < lrs[i].length; g++) {
                compare("lr", i, g, lrs[i][g], r.lrs().get(i)[g]);
                compare("momentum", i, g, momenta[i][g], r.momenta().get(i)[g]);
            }
        }
    }

    private static void compare(String what, int iter, int group, double expected, double actual) {
        assertEquals(expected, actual, MmcvValues.TOLERANCE, what + " of group " + group + " at iter " + iter);
        checked++;
        exact += expected == actual ? 1 : 0;
    }

    @AfterAll
    static void report() {
        System.out.println("MMCV-source values reproduced: " + checked + " (" + exact + " bit for bit)");
    }

    @Test
    void expByEpochExpWarmup() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(4, 3).mmcvMulti()
                .lr("policy = exp, gamma = 0.8, warmup = exp, warmup-iters = 4, warmup-ratio = 0.2")
                .run();
        expect(r, new double[][] {{0.004, 0.002}, {0.005981395124884883, 0.0029906975624424416}, {0.00894427190999916, 0.00447213595499958}, {0.010699844879622753, 0.0053499224398113766}, {0.016, 0.008}, {0.016, 0.008}, {0.012800000000000002, 0.006400000000000001}, {0.012800000000000002, 0.006400000000000001}, {0.012800000000000002, 0.006400000000000001}, {0.010240000000000003, 0.005120000000000001}, {0.010240000000000003, 0.005120000000000001}, {0.010240000000000003, 0.005120000000000001}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void polyPerIterLinearWarmup() {
        ScheduleRun.Recorded r = ScheduleRun.iters(10, 4).mmcvMulti()
                .lr("policy = poly, power = 2, min-lr = 1e-4, by-epoch = false, warmup = linear, warmup-iters = 3")
                .run();
        expect(r, new double[][] {{0.0019999999999999996, 0.0009999999999999998}, {0.006487599999999999, 0.0032476}, {0.0089852, 0.004505200000000001}, {0.009850999999999999, 0.004951}, {0.0072640000000000005, 0.003664}, {0.0050750000000000005, 0.002575}, {0.0032840000000000005, 0.0016840000000000004}, {0.0018910000000000005, 0.0009910000000000003}, {0.0008959999999999997, 0.0004959999999999998}, {0.0002989999999999999, 0.00019899999999999996}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void invPerIterConstantWarmup() {
        ScheduleRun.Recorded r = ScheduleRun.iters(8, 4).mmcvMulti()
                .lr("policy = inv, gamma = 0.1, power = 0.75, by-epoch = false, warmup = constant, warmup-iters = 2, warmup-ratio = 0.5")
                .run();
        expect(r, new double[][] {{0.01, 0.005}, {0.009310124446222227, 0.0046550622231111135}, {0.017443918989868426, 0.008721959494934213}, {0.01642753803649909, 0.008213769018249545}, {0.015539390084818246, 0.007769695042409123}, {0.014755758929337622, 0.007377879464668811}, {0.014058533129758726, 0.007029266564879363}, {0.013433627593357958, 0.006716813796678979}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void fixedWarmupByEpoch() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(3, 4).mmcvMulti()
                .lr("policy = fixed, warmup = linear, warmup-iters = 1, warmup-by-epoch = true, warmup-ratio = 0.25")
                .run();
        expect(r, new double[][] {{0.005, 0.0025}, {0.00875, 0.004375}, {0.0125, 0.00625}, {0.01625, 0.008125}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void stepByEpochWarmupAcrossEpochs() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(4, 3).mmcvMulti()
                .lr("policy = step, step = [2, 3], warmup = linear, warmup-iters = 5")
                .run();
        expect(r, new double[][] {{0.0019999999999999996, 0.0009999999999999998}, {0.005599999999999998, 0.002799999999999999}, {0.0092, 0.0046}, {0.012799999999999999, 0.0063999999999999994}, {0.0164, 0.0082}, {0.02, 0.01}, {0.002, 0.001}, {0.002, 0.001}, {0.002, 0.001}, {0.00020000000000000004, 0.00010000000000000002}, {0.00020000000000000004, 0.00010000000000000002}, {0.00020000000000000004, 0.00010000000000000002}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void oneCycleThreePhasePerGroup() {
        ScheduleRun.Recorded r = ScheduleRun.iters(10, 4).mmcvMulti()
                .lr("policy = one-cycle, max-lr = [0.1, 0.05], total-steps = 12, pct-start = 0.25, three-phase = true")
                .momentum("policy = one-cycle, base-momentum = [0.8, 0.85], max-momentum = 0.95, pct-start = 0.25, anneal-strategy = linear, three-phase = true")
                .run();
        expect(r, new double[][] {{0.0040000000000000036, 0.0020000000000000018}, {0.052000000000000005, 0.026000000000000002}, {0.1, 0.05}, {0.052000000000000005, 0.026000000000000002}, {0.004, 0.002}, {0.0038019575420312575, 0.0019009787710156287}, {0.0032470549057570953, 0.0016235274528785476}, {0.0024451973637258373, 0.0012225986818629186}, {0.0015552026362741626, 0.0007776013181370813}, {0.0007533450942429048, 0.0003766725471214524}},
                new double[][] {{0.95, 0.95}, {0.85, 0.8833333333333333}, {0.85, 0.8833333333333333}, {0.95, 0.95}, {0.95, 0.95}, {0.95, 0.95}, {0.95, 0.95}, {0.95, 0.95}, {0.95, 0.95}, {0.95, 0.95}});
    }

    @Test
    void cyclicSingleRatioAndMomentumDecay() {
        ScheduleRun.Recorded r = ScheduleRun.iters(12, 5).mmcvMulti()
                .lr("policy = cyclic, target-ratio = [5.0], step-ratio-up = 0.0, cyclic-times = 2")
                .momentum("policy = cyclic, target-ratio = 0.9, cyclic-times = 3, anneal-strategy = linear, gamma = 0.5")
                .run();
        expect(r, new double[][] {{0.1, 0.05}, {0.09330133717652006, 0.04665066858826003}, {0.07500025, 0.037500125}, {0.0500005, 0.02500025}, {0.025000750000000013, 0.012500375000000006}, {0.006699662823479957, 0.0033498314117399786}, {0.1, 0.05}, {0.09330133717652006, 0.04665066858826003}, {0.07500025, 0.037500125}, {0.0500005, 0.02500025}, {0.025000750000000013, 0.012500375000000006}, {0.006699662823479957, 0.0033498314117399786}},
                new double[][] {{0.95, 0.9}, {0.855, 0.81}, {0.5700028500000001, 0.5400027000000001}, {0.28500570000000003, 0.27000540000000006}, {0.95, 0.9}, {0.9025, 0.855}, {0.6016695166666667, 0.5700027}, {0.3008390333333334, 0.28500539999999996}, {0.95, 0.9}, {0.9262499999999999, 0.8775}, {0.6175028499999999, 0.5850027}, {0.30875569999999997, 0.2925054}});
    }

    @Test
    void flatCosineStartRoundsHalfToEven() {
        ScheduleRun.Recorded r = ScheduleRun.iters(10, 4).mmcvMulti()
                .lr("policy = flat-cosine, start-percent = 0.25, min-lr = 0.001, by-epoch = false")
                .run();
        expect(r, new double[][] {{0.02, 0.01}, {0.02, 0.01}, {0.02, 0.010000000000000002}, {0.019276855558857223, 0.009657457896300792}, {0.0172175144212722, 0.008681980515339464}, {0.014135492607468353, 0.007222075445642905}, {0.010499999999999999, 0.0055000000000000005}, {0.0068645073925316475, 0.0037779245543570965}, {0.003782485578727799, 0.0023180194846605367}, {0.001723144441142776, 0.0013425421036992098}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void cosineRestartByEpoch() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(5, 2).mmcvMulti()
                .lr("policy = cosine-restart, periods = [2, 3], restart-weights = [1, 0.5], min-lr = 0.001")
                .run();
        expect(r, new double[][] {{0.02, 0.010000000000000002}, {0.02, 0.010000000000000002}, {0.010499999999999999, 0.0055000000000000005}, {0.010499999999999999, 0.0055000000000000005}, {0.010499999999999999, 0.0055000000000000005}, {0.010499999999999999, 0.0055000000000000005}, {0.008125, 0.004375}, {0.008125, 0.004375}, {0.003375000000000001, 0.0021250000000000006}, {0.003375000000000001, 0.0021250000000000006}},
                new double[][] {{0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}, {0.95, 0.9}});
    }

    @Test
    void momentumCosineByEpochExpWarmup() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(3, 3).mmcvMulti()
                .momentum("policy = cosine, min-momentum = 0.5, warmup = exp, warmup-iters = 4, warmup-ratio = 0.8")
                .run();
        expect(r, new double[][] {{0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}},
                new double[][] {{1.1874999999999998, 1.125}, {1.1230681606912711, 1.0639593101285727}, {1.0621322893124001, 1.0062305898749053}, {0.8855484331314724, 0.8458970107524513}, {0.8374999999999999, 0.8}, {0.8374999999999999, 0.8}, {0.6125, 0.6000000000000001}, {0.6125, 0.6000000000000001}, {0.6125, 0.6000000000000001}});
    }

    @Test
    void momentumStepByEpochLinearWarmup() {
        ScheduleRun.Recorded r = ScheduleRun.epochs(4, 2).mmcvMulti()
                .momentum("policy = step, step = 1, gamma = 0.9, min-momentum = 0.7, warmup = linear, warmup-iters = 2")
                .run();
        expect(r, new double[][] {{0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}, {0.02, 0.01}},
                new double[][] {{1.0555555555555556, 1.0}, {1.0, 0.9473684210526316}, {0.855, 0.81}, {0.855, 0.81}, {0.7695, 0.7290000000000001}, {0.7695, 0.7290000000000001}, {0.7, 0.7}, {0.7, 0.7}});
    }
}
