package dev.stride.hooks.builtin.control;

import com.typesafe.config.Config;
import dev.stride.hooks.builtin.Intervals;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.support.Settings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code invalid-loss}: checks the loss of every {@code interval}-th train iteration. A NaN or
 * infinite loss either stops training with an {@link InvalidLossException} naming the epoch and
 * iteration ({@code action = stop}; checkpoints already written stay), or skips the batch
 * ({@code action = skip}): a warning is logged and the gradients are zeroed before the optimizer
 * hook steps, so the batch adds nothing to the update. The step itself still runs (momentum and
 * weight decay still apply), and with gradient accumulation the gradients accumulated so far in
 * the window are dropped too. Skipping needs this hook to run before the {@code optimizer} hook,
 * which its default priority HIGH (30, before ABOVE_NORMAL 40) ensures; a run where it comes after
 * is refused.
 */
public final class InvalidLossHook implements Hook {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidLossHook.class);

    /** What to do with a bad loss. */
    enum Action {
        STOP,
        SKIP
    }

    private final int interval;
    private final Action action;

    public InvalidLossHook(Config options) {
        this.interval = Settings.intIn(options, "interval", 1, Integer.MAX_VALUE);
        String a = options.getString("action");
        this.action = switch (a) {
            case "stop" -> Action.STOP;
            case "skip" -> Action.SKIP;
            default -> throw new BadInputException("action = " + a + ": use stop (end training with an error) or skip"
                    + " (drop the batch's gradients)");
        };
    }

    @Override
    public String name() {
        return "invalid-loss";
    }

    @Override
    public void beforeRun(Runner runner) {
        if (action != Action.SKIP) {
            return;
        }
        List<String> order = runner.hooks().stream().map(Hook::name).toList();
        int optimizer = order.indexOf("optimizer");
        if (optimizer >= 0 && optimizer < order.indexOf(name())) {
            throw new BadInputException("invalid-loss with action = skip runs after the optimizer hook, so a bad batch"
                    + " would already be applied: give it a priority below the optimizer's, e.g. priority = HIGH (its"
                    + " default)");
        }
    }

    @Override
    public void afterTrainIter(Runner runner) {
        if (!Intervals.everyNIters(runner, interval) || !runner.outputs().scalars().containsKey("loss")) {
            return;
        }
        double loss = runner.outputs().get("loss");
        if (Double.isFinite(loss)) {
            return;
        }
        String batch = runner.byEpoch() ? " (batch " + (runner.innerIter() + 1) + "/" + runner.phaseLength()
                + " of the epoch)" : "";
        if (action == Action.STOP) {
            throw new InvalidLossException(loss, runner.epoch() + 1, runner.iter() + 1, batch);
        }
        LOG.warn("The loss is {} at epoch {}, iteration {}{}: the batch is skipped (its gradients are zeroed before the"
                + " optimizer step)", loss, runner.epoch() + 1, runner.iter() + 1, batch);
        runner.optimizer().zeroGrad();
    }
}
