package com.example.stride.curriculum;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An epoch runner whose train data grows: train epoch {@code e} runs only the first
 * {@link Stages#batches} batches of that epoch's order, then the full epoch once the stages are
 * over. Val epochs always run in full. Since a loader's order is a pure function of
 * (seed, epoch), the batches of a short epoch are known without reading the others, and the
 * position {@link BaseRunner} saves (epoch, iter, phase, repeat, inner iter) is all an exact
 * resume needs.
 */
final class CurriculumRunner extends BaseRunner {
    static final String NAME = "curriculum";
    private static final Logger LOG = LoggerFactory.getLogger(CurriculumRunner.class);

    private final Stages stages;

    CurriculumRunner(RunnerSettings settings) {
        super(settings);
        this.maxEpochs = Settings.intIn(settings.options(), "max-epochs", 1, 1_000_000);
        this.stages = Stages.of(settings.options());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean byEpoch() {
        return true;
    }

    /** max-iters is the sum of the (shortened) train epochs, so schedules by iteration end on time. */
    @Override
    protected void prepare(Workflow workflow) {
        int full = loader(Mode.TRAIN).batchesPerEpoch();
        maxIters = 0;
        for (int e = 0; e < maxEpochs; e++) {
            maxIters += stages.batches(e, full);
        }
    }

    @Override
    protected void loop(Workflow workflow) {
        while (epoch < maxEpochs) {
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

    /** One epoch of {@code m}, from batch {@code innerIter} (non-zero after a mid-epoch resume) to its limit. */
    private void runEpoch(Mode m) {
        DataLoader loader = loader(m);
        boolean train = m == Mode.TRAIN;
        int full = loader.batchesPerEpoch();
        int limit = train ? stages.batches(epoch, full) : full;
        mode = m;
        phaseLength = limit;
        if (innerIter == 0) {
            logBuffer(m).clear();
            if (train && limit < full) {
                LOG.info("Curriculum: train epoch {} uses {} of {} batches", epoch + 1, limit, full);
            }
        }
        callHook(train ? Stage.BEFORE_TRAIN_EPOCH : Stage.BEFORE_VAL_EPOCH);
        try (BatchStream batches = loader.open(epoch, innerIter)) {
            while (innerIter < limit && batches.hasNext()) {
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

    /** Where a checkpoint taken now resumes: after the step or epoch whose after-hooks are running. */
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

    /** The stages in force, so a resume with other stages is noticed. */
    @Override
    protected void saveCursors(Checkpoint.Section state) {
        state.put("curriculum.stages", stages.toString());
    }

    @Override
    protected void loadCursors(Checkpoint.Section state) {
        String saved = state.get("curriculum.stages");
        if (saved != null && !saved.equals(stages.toString())) {
            LOG.warn("The checkpoint was written with stages {}; this run has {}: the epochs from here on follow the new"
                    + " stages", saved, stages);
        }
    }
}
