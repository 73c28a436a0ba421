package dev.stride.runner.epoch;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Stage;

/**
 * MMCV's EpochBasedRunner: repeats the workflow, each count an epoch, until {@code max-epochs}
 * train epochs are done. Only train epochs advance {@code epoch}; once it reaches max-epochs a
 * train phase stops early, but val phases still run in their turn.
 */
final class EpochBasedRunner extends BaseRunner {
    static final String NAME = "epoch";

    EpochBasedRunner(RunnerSettings settings) {
        super(settings);
        this.maxEpochs = Settings.intIn(settings.options(), "max-epochs", 1, 1_000_000);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean byEpoch() {
        return true;
    }

    @Override
    protected void prepare(Workflow workflow) {
        maxIters = (long) maxEpochs * loader(Mode.TRAIN).batchesPerEpoch();
    }

    @Override
    protected void loop(Workflow workflow) {
        // a run resumed inside a cycle finishes that cycle's remaining (val) phases, as the straight run did
        boolean midCycle = phaseIndex > 0 || phaseRepeat > 0 || innerIter > 0;
        while (epoch < maxEpochs || midCycle) {
            midCycle = false;
            while (phaseIndex < workflow.size()) {
                Phase phase = workflow.get(phaseIndex);
                while (phaseRepeat < phase.count()) {
                    if (phase.mode() == Mode.TRAIN && epoch >= maxEpochs) {
                        break;
                    }
                    runEpoch(phase.mode());
                    phaseRepeat++;
                    innerIter = 0;
                    checkStop();
                }
                phaseIndex++;
                phaseRepeat = 0;
            }
            phaseIndex = 0;
        }
    }

    /** One epoch of {@code m}, starting at batch {@code innerIter} (non-zero after a mid-epoch resume). */
    private void runEpoch(Mode m) {
        DataLoader loader = loader(m);
        mode = m;
        phaseLength = loader.batchesPerEpoch();
        boolean train = m == Mode.TRAIN;
        if (innerIter == 0) {
            logBuffer(m).clear();
        }
        callHook(train ? Stage.BEFORE_TRAIN_EPOCH : Stage.BEFORE_VAL_EPOCH);
        try (BatchStream batches = loader.open(epoch, innerIter)) {
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    if (train) {
                        trainStep(batch);
                    } else {
                        valStep(batch);
                    }
                }
                checkStop();
            }
        }
        callHook(train ? Stage.AFTER_TRAIN_EPOCH : Stage.AFTER_VAL_EPOCH);
        if (train) {
            epoch++;
        }
    }

    @Override
    protected Position position(Stage inProgress) {
        if (inProgress == null) {
            return new Position(epoch, iter, phaseIndex, phaseRepeat, innerIter);
        }
        return switch (inProgress) {
            case AFTER_TRAIN_ITER -> new Position(epoch, iter + 1, phaseIndex, phaseRepeat, innerIter + 1);
            case AFTER_VAL_ITER -> new Position(epoch, iter, phaseIndex, phaseRepeat, innerIter + 1);
            case AFTER_TRAIN_EPOCH -> new Position(epoch + 1, iter, phaseIndex, phaseRepeat + 1, 0);
            case AFTER_VAL_EPOCH -> new Position(epoch, iter, phaseIndex, phaseRepeat + 1, 0);
            default -> new Position(epoch, iter, phaseIndex, phaseRepeat, innerIter);
        };
    }

    @Override
    protected String checkpointName(Position p) {
        return p.inner() == 0 ? "epoch_" + p.epoch() + ".safetensors" : "iter_" + p.iter() + ".safetensors";
    }
}
