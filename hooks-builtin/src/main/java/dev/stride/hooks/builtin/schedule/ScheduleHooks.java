package dev.stride.hooks.builtin.schedule;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.support.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a schedule hook from its options: finds the policy, rejects options that belong to
 * another policy (or to none), reads the common options (by-epoch, warm-up) with MMCV's checks,
 * and lets the policy read its own.
 */
final class ScheduleHooks {
    /** MMCV's policy names, lower-cased without separators, and what they are called here. */
    private static final Map<String, String> MMCV_NAMES = Map.of(
            "cosineannealing", "cosine",
            "flatcosineannealing", "flat-cosine",
            "cosinerestart", "cosine-restart",
            "onecycle", "one-cycle",
            "linearannealing", "linear");

    private ScheduleHooks() {}

    /**
     * @param options the hook's options on top of its defaults ({@code type} and {@code priority}
     *     removed)
     * @throws BadInputException naming the option, where it was written and how to fix it
     */
    static Hook create(Target target, Config options) {
        Policy policy = policy(target, options);
        ScheduleOptions o = new ScheduleOptions(options, target, policy.name());
        checkKeys(target, policy, options, o);
        boolean byEpoch = o.flag("by-epoch", !policy.perIteration());
        if (byEpoch && policy.perIteration()) {
            throw o.bad("by-epoch", "the " + target.hookName() + " policy '" + policy.name() + "' changes the "
                    + target.word() + " every iteration and supports only by-epoch = false (as in MMCV): remove"
                    + " by-epoch or set it to false");
        }
        WarmupPlan warmup = warmup(target, o);
        Schedule schedule = policy.build().apply(o);
        return new ScheduleHook(Settings.hookName(options, target.hookName()), target, policy.name(), schedule, byEpoch, warmup);
    }

    private static Policy policy(Target target, Config options) {
        Map<String, Policy> policies = target.policies();
        String names = String.join(", ", policies.keySet());
        if (!options.hasPath("policy")) {
            throw new BadInputException("the option 'policy' of " + target.hookName() + " is missing: set policy = one of "
                    + names);
        }
        ConfigValue value = options.getValue("policy");
        String name = String.valueOf(value.unwrapped());
        Policy p = policies.get(name);
        if (p == null) {
            throw new BadInputException(new ScheduleOptions(options, target, name).where("policy") + "policy: unknown "
                    + target.hookName() + " policy '" + name + "'" + suggestion(name, policies.keySet())
                    + "; use one of " + names);
        }
        return p;
    }

    /** "Did you mean", knowing MMCV's own names (CosineAnnealing, OneCycle ...). */
    static String suggestion(String name, Set<String> names) {
        String plain = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "")
                .replaceAll("(lr|momentum)?(updater)?(hook)?$", "");
        String mapped = MMCV_NAMES.getOrDefault(plain, plain);
        if (names.contains(mapped)) {
            return " (did you mean '" + mapped + "'?)";
        }
        return Settings.didYouMean(name, names);
    }

    private static void checkKeys(Target target, Policy policy, Config options, ScheduleOptions o) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.root().keySet())) {
            if (!options.hasPath(key) || key.equals("id") || target.commonOptions().contains(key)
                    || policy.options().contains(key)) {
                continue;
            }
            List<String> owners = target.policies().values().stream()
                    .filter(p -> p.options().contains(key))
                    .map(Policy::name)
                    .toList();
            String takes = policy.options().isEmpty() ? "takes no options of its own"
                    : "takes " + String.join(", ", policy.options());
            if (owners.isEmpty()) {
                Set<String> all = new TreeSet<>(target.commonOptions());
                target.policies().values().forEach(p -> all.addAll(p.options()));
                problems.add(o.where(key) + key + ": unknown option of " + target.hookName()
                        + Settings.didYouMean(key, all) + "; policy '" + policy.name() + "' " + takes);
            } else {
                problems.add(o.where(key) + key + ": the option does not apply to " + target.hookName() + " policy '"
                        + policy.name() + "' (it belongs to " + String.join(", ", owners) + "): remove it; policy '"
                        + policy.name() + "' " + takes);
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(String.join("\n", problems));
        }
    }

    private static WarmupPlan warmup(Target target, ScheduleOptions o) {
        List<String> curves = List.of(Warmup.CONSTANT.word(), Warmup.LINEAR.word(), Warmup.EXP.word());
        String word = o.word("warmup", null, curves);
        Warmup curve = word == null ? null : Warmup.valueOf(word.toUpperCase(Locale.ROOT));
        double iters = o.number("warmup-iters", 0);
        o.require(iters == Math.rint(iters) && iters >= 0 && iters <= Integer.MAX_VALUE, "warmup-iters",
                "expected a whole number of iterations (or epochs with warmup-by-epoch = true), got " + iters);
        if (curve != null && iters < 1) {
            throw new BadInputException(o.where("warmup") + "warmup-iters: warmup = " + word + " needs warmup-iters of at least 1 (how long the warm-up lasts),"
                    + " e.g. warmup-iters = 500");
        }
        double ratio = o.number("warmup-ratio", target.defaultWarmupRatio());
        o.require(ratio > 0 && ratio <= 1, "warmup-ratio", "expected the warm-up's starting fraction of the "
                + target.word() + " in (0, 1], got " + ratio);
        boolean byEpoch = target.commonOptions().contains("warmup-by-epoch") && o.flag("warmup-by-epoch", false);
        return new WarmupPlan(curve, (long) iters, ratio, byEpoch);
    }
}
