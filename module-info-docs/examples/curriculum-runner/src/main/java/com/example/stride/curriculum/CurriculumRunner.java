package com.example.stride.curriculum;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An epoch runner whose train data grows: train epoch {@code e} runs only the first
 * {@link Stages#batches} batches of that epoch's order, then the full epoch once the stages are
 * over. Val epochs always run in full. {@link BaseRunner} walks the workflow, calls the hooks and
 * keeps the position a checkpoint records; this runner only says how long each epoch is. Since a
 * loader's order is a pure function of (seed, epoch), the batches of a short epoch are known
 * without reading the others, so a resumed run continues bit for bit.
 */
final class CurriculumRunner extends BaseRunner {
    static final String NAME = "curriculum";
    private static final Logger LOG = LoggerFactory.getLogger(CurriculumRunner.class);

    private final Stages stages;

    CurriculumRunner(RunnerSettings settings) {
        super(settings, Unit.EPOCHS);
        setMaxEpochs(Settings.intIn(settings.options(), "max-epochs", 1, 1_000_000));
        this.stages = Stages.of(settings.options());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The stage's share of the train batches; val epochs in full. max-iters is the sum of these. */
    @Override
    protected int epochLength(Mode mode, int epoch) {
        int full = super.epochLength(mode, epoch);
        return mode == Mode.TRAIN ? stages.batches(epoch, full) : full;
    }

    /** Says which train epochs are shortened, once the loaders are known. */
    @Override
    protected void prepare(Workflow workflow) {
        super.prepare(workflow);
        int full = loader(Mode.TRAIN).batchesPerEpoch();
        for (int e = 0; e < maxEpochs() && epochLength(Mode.TRAIN, e) < full; e++) {
            LOG.info("Curriculum: train epoch {} uses {} of {} batches", e + 1, epochLength(Mode.TRAIN, e), full);
        }
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
