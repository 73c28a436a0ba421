package dev.stride.hooks.builtin;

import dev.stride.hooks.builtin.checkpoint.CheckpointHook;
import dev.stride.hooks.builtin.control.EarlyStoppingHook;
import dev.stride.hooks.builtin.control.InvalidLossHook;
import dev.stride.hooks.builtin.logging.JsonLoggerHook;
import dev.stride.hooks.builtin.logging.TextLoggerHook;
import dev.stride.hooks.builtin.monitor.MemoryHook;
import dev.stride.hooks.builtin.monitor.ProgressHook;
import dev.stride.hooks.builtin.plot.PlotHook;
import dev.stride.hooks.builtin.profile.ProfileHook;
import dev.stride.hooks.builtin.tensorboard.TensorboardHook;
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

    public static final class EarlyStoppingProvider extends BuiltinHookProvider {
        public EarlyStoppingProvider() {
            super("early-stopping", Priority.LOWEST, "stops training when a val metric stops improving",
                    EarlyStoppingHook::new);
        }
    }

    public static final class InvalidLossProvider extends BuiltinHookProvider {
        public InvalidLossProvider() {
            super("invalid-loss", Priority.HIGH, "stops (or skips the batch) when the loss is NaN or infinite",
                    InvalidLossHook::new);
        }
    }

    public static final class ProgressProvider extends BuiltinHookProvider {
        public ProgressProvider() {
            super("progress", Priority.VERY_LOW, "a progress bar with ETA on a terminal, plain lines otherwise",
                    ProgressHook::new);
        }
    }

    public static final class MemoryProvider extends BuiltinHookProvider {
        public MemoryProvider() {
            super("memory", Priority.BELOW_NORMAL, "logs JVM heap, process RSS and live native tensors", MemoryHook::new);
        }
    }

    public static final class TensorboardProvider extends BuiltinHookProvider {
        public TensorboardProvider() {
            super("tensorboard", Priority.VERY_LOW, "writes train and val scalars to TensorBoard event files",
                    TensorboardHook::new);
        }
    }

    public static final class PlotProvider extends BuiltinHookProvider {
        public PlotProvider() {
            super("plot", Priority.VERY_LOW, "draws loss, learning rate and val metrics into a PNG", PlotHook::new);
        }
    }

    public static final class ProfileProvider extends BuiltinHookProvider {
        public ProfileProvider() {
            super("profile", Priority.HIGHEST, "prints the time spent in hooks, model steps and data loading",
                    ProfileHook::new);
        }
    }
}
