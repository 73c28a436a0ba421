package dev.stride.hooks.builtin;

import dev.stride.hooks.builtin.checkpoint.CheckpointHook;
import dev.stride.hooks.builtin.logging.JsonLoggerHook;
import dev.stride.hooks.builtin.logging.TextLoggerHook;
import dev.stride.hooks.builtin.training.EvalHook;
import dev.stride.hooks.builtin.training.IterTimerHook;
import dev.stride.hooks.builtin.training.OptimizerHook;
import dev.stride.runner.api.Priority;

/** The providers of the built-in hooks, with MMCV's default priorities. */
public final class Providers {
    private Providers() {}

    public static final class OptimizerProvider extends BuiltinHookProvider {
        public OptimizerProvider() {
            super("optimizer", Priority.ABOVE_NORMAL, "steps the optimizer; gradient clipping and accumulation",
                    OptimizerHook::new);
        }
    }

    public static final class IterTimerProvider extends BuiltinHookProvider {
        public IterTimerProvider() {
            super("iter-timer", Priority.LOW, "logs time and data_time of each iteration", o -> new IterTimerHook());
        }
    }

    public static final class TextLoggerProvider extends BuiltinHookProvider {
        public TextLoggerProvider() {
            super("text-logger", Priority.VERY_LOW, "MMCV's text log lines, to the console and <timestamp>.log",
                    TextLoggerHook::new);
        }
    }

    public static final class JsonLoggerProvider extends BuiltinHookProvider {
        public JsonLoggerProvider() {
            super("json-logger", Priority.VERY_LOW, "one JSON object per line in <timestamp>.log.json", JsonLoggerHook::new);
        }
    }

    public static final class CheckpointProvider extends BuiltinHookProvider {
        public CheckpointProvider() {
            super("checkpoint", Priority.NORMAL, "saves checkpoints by interval, keeps the newest and the best",
                    CheckpointHook::new);
        }
    }

    public static final class EvalProvider extends BuiltinHookProvider {
        public EvalProvider() {
            super("eval", Priority.LOW, "evaluates on the val data every interval; keeps the best checkpoint", EvalHook::new);
        }
    }
}
