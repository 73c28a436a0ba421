package dev.stride.app.hardening;

import com.typesafe.config.Config;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;

/**
 * {@code failing}: a test-only hook with a bug. It throws in the stage {@code stage} (a hook
 * method name such as {@code afterTrainIter}) during epoch {@code epoch} (1-based, as logs count)
 * and, for iteration stages, at global iteration {@code iter}; {@code epoch = 0} never throws.
 * Registered through this module's test resources (META-INF/services and reference.conf).
 */
public final class FailingHookProvider implements HookProvider {
    @Override
    public String name() {
        return "failing";
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "test only: throws at a chosen stage, epoch and iteration";
    }

    @Override
    public Hook create(Config options) {
        return new FailingHook(options.getString("stage"), options.getInt("epoch"), options.getLong("iter"));
    }

    /** Throws {@link IllegalStateException} once the run reaches the chosen point. */
    static final class FailingHook implements Hook {
        private final String stage;
        private final int epoch;
        private final long iter;

        FailingHook(String stage, int epoch, long iter) {
            this.stage = stage;
            this.epoch = epoch;
            this.iter = iter;
        }

        @Override
        public String name() {
            return "failing";
        }

        private void at(String method, Runner r, boolean iterStage) {
            if (method.equals(stage) && r.epoch() + 1 == epoch && (!iterStage || r.iter() == iter)) {
                throw new IllegalStateException("the failing hook's planted bug");
            }
        }

        @Override
        public void beforeTrainEpoch(Runner r) {
            at("beforeTrainEpoch", r, false);
        }

        @Override
        public void afterTrainEpoch(Runner r) {
            at("afterTrainEpoch", r, false);
        }

        @Override
        public void beforeTrainIter(Runner r) {
            at("beforeTrainIter", r, true);
        }

        @Override
        public void afterTrainIter(Runner r) {
            at("afterTrainIter", r, true);
        }
    }
}
