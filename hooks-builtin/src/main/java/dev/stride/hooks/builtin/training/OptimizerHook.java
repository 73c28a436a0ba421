package dev.stride.hooks.builtin.training;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;

/**
 * Steps the optimizer after each train iteration (or every {@code cumulative-iters}), after
 * optional clipping of the gradients' global L2 norm, then zeroes the gradients. As MMCV's
 * OptimizerHook / GradientCumulativeOptimizerHook: accumulated gradients are averaged over
 * {@code cumulative-iters}, or over the remainder for the last {@code max-iters % cumulative-iters}
 * iterations. Gradients accumulated when a checkpoint is taken are saved with it, so a resumed
 * run equals an uninterrupted one.
 */
public final class OptimizerHook implements Hook {
    private final double maxNorm;
    private final int cumulative;
    /** Gradients were accumulated since the last step. */
    private boolean pending;
    /** The runner, captured at before-run: saving state needs its optimizer. */
    private Runner runner;
    /** Accumulated gradients of a checkpoint, put back before the first step after a resume. */
    private Checkpoint.Section restore;

    /** {@code optimizer}, or the {@code id} the config gives it: the key of its state in checkpoints. */
    private final String name;

    public OptimizerHook(Config options) {
        this.name = Settings.hookName(options, "optimizer");
        this.maxNorm = Settings.doubleIn(options, "grad-clip.max-norm", 0, Double.MAX_VALUE);
        this.cumulative = Settings.intIn(options, "cumulative-iters", 1, 1_000_000);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void afterTrainIter(Runner runner) {
        pending = true;
        if (!Intervals.everyNIters(runner, cumulative) && !Intervals.lastIter(runner)) {
            return;
        }
        Optimizer opt = runner.optimizer();
        long divisible = runner.maxIters() / cumulative * cumulative;
        long factor = runner.iter() < divisible ? cumulative : runner.maxIters() - divisible;
        if (factor > 1) {
            opt.scaleGrads(1.0 / factor);
        }
        if (maxNorm > 0) {
            double norm = opt.gradNorm();
            runner.logBuffer(Mode.TRAIN).update("grad_norm", norm, runner.outputs().samples());
            if (norm > maxNorm) {
                opt.scaleGrads(maxNorm / (norm + 1e-6));
            }
        }
        opt.step();
        opt.zeroGrad();
        pending = false;
    }

    @Override
    public void beforeRun(Runner runner) {
        this.runner = runner;
    }

    @Override
    public void saveState(Checkpoint.Section state) {
        state.put("pending", Boolean.toString(pending && cumulative > 1));
        if (pending && cumulative > 1 && runner != null) {
            runner.optimizer().saveGradients(state);
        }
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        pending = Boolean.parseBoolean(state.get("pending"));
        restore = pending ? state : null;
    }

    @Override
    public void beforeTrainIter(Runner runner) {
        if (restore != null) {
            runner.optimizer().loadGradients(restore);
            restore = null;
        }
    }
}
