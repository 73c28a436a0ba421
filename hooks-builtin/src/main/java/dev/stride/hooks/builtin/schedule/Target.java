package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.ParamGroup;
import java.util.List;
import java.util.Map;

/**
 * The hyper-parameter a schedule hook drives: the learning rate (MMCV's LrUpdaterHook) or the
 * momentum (MomentumUpdaterHook). They differ in the option names, in the warm-up rule (a
 * learning rate is multiplied by the warm-up factor, a momentum divided by it, as MMCV does) and
 * in their policies.
 */
enum Target {
    LR("lr-schedule", "lr", "min-lr", "min-lr-ratio") {
        @Override
        double read(ParamGroup g) {
            return g.lr();
        }

        @Override
        void write(ParamGroup g, double value) {
            g.setLr(value);
        }

        @Override
        double warm(double regular, double factor) {
            return regular * factor;
        }

        @Override
        Map<String, Policy> policies() {
            return LrPolicies.ALL;
        }

        @Override
        List<String> commonOptions() {
            return LrPolicies.COMMON;
        }

        @Override
        double defaultWarmupRatio() {
            return 0.1;
        }
    },
    MOMENTUM("momentum-schedule", "momentum", "min-momentum", "min-momentum-ratio") {
        @Override
        double read(ParamGroup g) {
            return g.momentum();
        }

        @Override
        void write(ParamGroup g, double value) {
            g.setMomentum(value);
        }

        @Override
        double warm(double regular, double factor) {
            return regular / factor;
        }

        @Override
        Map<String, Policy> policies() {
            return MomentumPolicies.ALL;
        }

        @Override
        List<String> commonOptions() {
            return MomentumPolicies.COMMON;
        }

        @Override
        double defaultWarmupRatio() {
            return 0.9;
        }
    };

    private final String hookName;
    private final String word;
    private final String minKey;
    private final String minRatioKey;

    Target(String hookName, String word, String minKey, String minRatioKey) {
        this.hookName = hookName;
        this.word = word;
        this.minKey = minKey;
        this.minRatioKey = minRatioKey;
    }

    abstract double read(ParamGroup g);

    abstract void write(ParamGroup g, double value);

    /** The warm-up value from the regular one and the warm-up factor. */
    abstract double warm(double regular, double factor);

    /** The policies by name, in the order the docs list them. */
    abstract Map<String, Policy> policies();

    /** The options every policy takes. */
    abstract List<String> commonOptions();

    /** MMCV's default warmup_ratio: 0.1 for the lr, 0.9 for the momentum. */
    abstract double defaultWarmupRatio();

    /** {@code lr-schedule} or {@code momentum-schedule}: the hook's type and state key. */
    String hookName() {
        return hookName;
    }

    /** {@code lr} or {@code momentum}, for messages. */
    String word() {
        return word;
    }

    /** {@code min-lr} or {@code min-momentum}. */
    String minKey() {
        return minKey;
    }

    /** {@code min-lr-ratio} or {@code min-momentum-ratio}. */
    String minRatioKey() {
        return minRatioKey;
    }

    /** The checkpoint key prefix of the initial values, as MMCV names them in param groups. */
    String stateKey() {
        return "initial_" + word;
    }
}
