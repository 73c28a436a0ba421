package dev.stride.hooks.builtin.schedule;

import java.util.List;
import java.util.Map;

/** The policies of {@code momentum-schedule}, MMCV's MomentumUpdaterHook family, with their own options. */
final class MomentumPolicies {
    private MomentumPolicies() {}

    /** Options every momentum policy takes (MMCV's momentum hooks have no warmup-by-epoch). */
    static final List<String> COMMON = List.of("policy", "by-epoch", "warmup", "warmup-iters", "warmup-ratio");

    static final Map<String, Policy> ALL = LrPolicies.table(
            Policy.of("step", o -> StepSchedule.read(o, 0.5), "step", "gamma", "min-momentum"),
            Policy.of("cosine", o -> new AnnealSchedule(Anneal.COS, Floor.read(o)), "min-momentum",
                    "min-momentum-ratio"),
            Policy.of("linear", o -> new AnnealSchedule(Anneal.LINEAR, Floor.read(o)), "min-momentum",
                    "min-momentum-ratio"),
            Policy.perIteration("cyclic", o -> CyclicSchedule.read(o, new double[] {0.85 / 0.95, 1}), "target-ratio",
                    "cyclic-times", "step-ratio-up", "anneal-strategy", "gamma"),
            Policy.perIteration("one-cycle", OneCycleMomentumSchedule::read, "base-momentum", "max-momentum",
                    "pct-start", "anneal-strategy", "three-phase"));
}
