package dev.stride.hooks.builtin.schedule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies of {@code lr-schedule}, MMCV's LrUpdaterHook family, with their own options. The
 * simple formulas are written here; the others have a class each. {@code now} and {@code max}
 * are epochs or iterations by {@code by-epoch}.
 */
final class LrPolicies {
    private LrPolicies() {}

    /** Options every lr policy takes. */
    static final List<String> COMMON =
            List.of("policy", "by-epoch", "warmup", "warmup-iters", "warmup-ratio", "warmup-by-epoch");

    static final Map<String, Policy> ALL = table(
            // the initial lr throughout
            Policy.of("fixed", o -> (clock, base, group) -> base),
            Policy.of("step", o -> StepSchedule.read(o, 0.1), "step", "gamma", "min-lr"),
            // base * gamma^now
            Policy.of("exp", o -> {
                double gamma = o.requiredNumber("gamma", "0.9");
                return (clock, base, group) -> base * Math.pow(gamma, clock.now());
            }, "gamma"),
            // (base - min) * (1 - now / max)^power + min
            Policy.of("poly", o -> {
                double power = o.number("power", 1.0);
                double min = o.number("min-lr", 0.0);
                return (clock, base, group) -> (base - min) * Math.pow(1 - clock.fraction(), power) + min;
            }, "power", "min-lr"),
            // base * (1 + gamma * now)^-power
            Policy.of("inv", o -> {
                double gamma = o.requiredNumber("gamma", "0.001");
                double power = o.number("power", 1.0);
                return (clock, base, group) -> base * Math.pow(1 + gamma * clock.now(), -power);
            }, "gamma", "power"),
            Policy.of("cosine", o -> new AnnealSchedule(Anneal.COS, Floor.read(o)), "min-lr", "min-lr-ratio"),
            Policy.of("flat-cosine", FlatCosineSchedule::read, "start-percent", "min-lr", "min-lr-ratio"),
            Policy.of("cosine-restart", CosineRestartSchedule::read, "periods", "restart-weights", "min-lr",
                    "min-lr-ratio"),
            Policy.perIteration("cyclic", o -> CyclicSchedule.read(o, new double[] {10, 1e-4}), "target-ratio",
                    "cyclic-times", "step-ratio-up", "anneal-strategy", "gamma"),
            Policy.perIteration("one-cycle", OneCycleLrSchedule::read, "max-lr", "total-steps", "pct-start",
                    "anneal-strategy", "div-factor", "final-div-factor", "three-phase"),
            Policy.of("linear", o -> new AnnealSchedule(Anneal.LINEAR, Floor.read(o)), "min-lr", "min-lr-ratio"));

    /** The policies by name, in the given order. */
    static Map<String, Policy> table(Policy... policies) {
        Map<String, Policy> m = new LinkedHashMap<>();
        for (Policy p : policies) {
            m.put(p.name(), p);
        }
        return Collections.unmodifiableMap(m);
    }
}
