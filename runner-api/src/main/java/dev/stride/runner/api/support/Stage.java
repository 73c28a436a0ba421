package dev.stride.runner.api.support;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import java.lang.reflect.Method;
import org.apiguardian.api.API;

/** The points of a run at which hooks are called, each dispatching to its {@link Hook} method. */
@API(status = API.Status.STABLE, since = "0.1")
public enum Stage {
    BEFORE_RUN("beforeRun") {
        @Override
        void call(Hook h, Runner r) {
            h.beforeRun(r);
        }
    },
    AFTER_RUN("afterRun") {
        @Override
        void call(Hook h, Runner r) {
            h.afterRun(r);
        }
    },
    BEFORE_EPOCH("beforeEpoch") {
        @Override
        void call(Hook h, Runner r) {
            h.beforeEpoch(r);
        }
    },
    AFTER_EPOCH("afterEpoch") {
        @Override
        void call(Hook h, Runner r) {
            h.afterEpoch(r);
        }
    },
    BEFORE_TRAIN_EPOCH("beforeTrainEpoch", "beforeEpoch") {
        @Override
        void call(Hook h, Runner r) {
            h.beforeTrainEpoch(r);
        }
    },
    AFTER_TRAIN_EPOCH("afterTrainEpoch", "afterEpoch") {
        @Override
        void call(Hook h, Runner r) {
            h.afterTrainEpoch(r);
        }
    },
    BEFORE_VAL_EPOCH("beforeValEpoch", "beforeEpoch") {
        @Override
        void call(Hook h, Runner r) {
            h.beforeValEpoch(r);
        }
    },
    AFTER_VAL_EPOCH("afterValEpoch", "afterEpoch") {
        @Override
        void call(Hook h, Runner r) {
            h.afterValEpoch(r);
        }
    },
    BEFORE_TRAIN_ITER("beforeTrainIter", "beforeIter") {
        @Override
        void call(Hook h, Runner r) {
            h.beforeTrainIter(r);
        }
    },
    AFTER_TRAIN_ITER("afterTrainIter", "afterIter") {
        @Override
        void call(Hook h, Runner r) {
            h.afterTrainIter(r);
        }
    },
    BEFORE_VAL_ITER("beforeValIter", "beforeIter") {
        @Override
        void call(Hook h, Runner r) {
            h.beforeValIter(r);
        }
    },
    AFTER_VAL_ITER("afterValIter", "afterIter") {
        @Override
        void call(Hook h, Runner r) {
            h.afterValIter(r);
        }
    };

    private final String[] methods;

    Stage(String... methods) {
        this.methods = methods;
    }

    abstract void call(Hook hook, Runner runner);

    /** The name of the hook method, e.g. {@code afterTrainIter}. */
    public String methodName() {
        return methods[0];
    }

    /** Whether {@code hook} does anything at this stage: it overrides this stage's method or its fallback. */
    boolean isImplementedBy(Hook hook) {
        for (String name : methods) {
            try {
                Method m = hook.getClass().getMethod(name, Runner.class);
                if (m.getDeclaringClass() != Hook.class) {
                    return true;
                }
            } catch (NoSuchMethodException impossible) {
                return true;
            }
        }
        return false;
    }
}
