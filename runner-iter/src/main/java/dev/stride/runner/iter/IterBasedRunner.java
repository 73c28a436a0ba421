package dev.stride.runner.iter;

import dev.stride.runner.api.Batch;
import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Phase;
import dev.stride.runner.api.Workflow;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.runner.api.support.EndlessLoader;
import dev.stride.runner.api.support.Settings;
import dev.stride.runner.api.support.Stage;
import java.util.EnumMap;
import java.util.Map;

/**
 * MMCV's IterBasedRunner: repeats the workflow, each count an iteration, until {@code max-iters}
 * train iterations are done. Each mode's loader is endless. Hooks see before/after epoch once
 * around the run, and before/after val epoch around each val phase (its averages make one val
 * log line per phase).
 */
final class IterBasedRunner extends BaseRunner {
    static final String NAME = "iter";

    private final Map<Mode, EndlessLoader> streams = new EnumMap<>(Mode.class);
    private final Map<Mode, long[]> cursors = new EnumMap<>(Mode.class);

    IterBasedRunner(RunnerSettings settings) {
        super(settings);
        this.maxIters = Settings.longIn(settings.options(), "max-iters", 1, Long.MAX_VALUE / 2);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean byEpoch() {
        return false;
    }

    @Override
    protected void prepare(Workflow workflow) {
        int perEpoch = Math.max(1, loader(Mode.TRAIN).batchesPerEpoch());
        maxEpochs = (int) Math.min(Integer.MAX_VALUE, (maxIters + perEpoch - 1) / perEpoch);
    }

    @Override
    protected void loop(Workflow workflow) {
        for (Mode m : workflow.modes()) {
            long[] c = cursors.getOrDefault(m, new long[] {0, 0});
            streams.put(m, new EndlessLoader(loader(m), c[0], (int) c[1]));
        }
        try {
            callHook(Stage.BEFORE_EPOCH);
            // a run resumed inside a cycle finishes that cycle's remaining (val) phases, as the straight run did
            boolean midCycle = phaseIndex > 0 || phaseRepeat > 0;
            while (iter < maxIters || midCycle) {
                midCycle = false;
                while (phaseIndex < workflow.size()) {
                    runPhase(workflow.get(phaseIndex));
                    phaseIndex++;
                    phaseRepeat = 0;
                    innerIter = 0;
                    checkStop();
                }
                phaseIndex = 0;
            }
            callHook(Stage.AFTER_EPOCH);
        } finally {
            streams.values().forEach(EndlessLoader::close);
        }
    }

    private void runPhase(Phase phase) {
        mode = phase.mode();
        phaseLength = phase.count();
        boolean val = mode == Mode.VAL;
        if (val) {
            if (phaseRepeat == 0) {
                logBuffer(Mode.VAL).clear();
            }
            callHook(Stage.BEFORE_VAL_EPOCH);
        }
        EndlessLoader stream = streams.get(mode);
        while (phaseRepeat < phase.count()) {
            if (!val && iter >= maxIters) {
                break;
            }
            innerIter = phaseRepeat;
            try (Batch batch = stream.next()) {
                if (val) {
                    valStep(batch);
                } else {
                    epoch = (int) stream.epoch();
                    trainStep(batch);
                }
            }
            phaseRepeat++;
            checkStop();
        }
        if (val) {
            callHook(Stage.AFTER_VAL_EPOCH);
        }
    }

    @Override
    protected Position position(Stage inProgress) {
        if (inProgress == null) {
            return new Position(epoch, iter, phaseIndex, phaseRepeat, innerIter);
        }
        return switch (inProgress) {
            case AFTER_TRAIN_ITER -> new Position(epoch, iter + 1, phaseIndex, phaseRepeat + 1, innerIter + 1);
            case AFTER_VAL_ITER -> new Position(epoch, iter, phaseIndex, phaseRepeat + 1, innerIter + 1);
            case AFTER_VAL_EPOCH -> new Position(epoch, iter, phaseIndex + 1, 0, 0);
            default -> new Position(epoch, iter, phaseIndex, phaseRepeat, innerIter);
        };
    }

    @Override
    protected String checkpointName(Position p) {
        return "iter_" + p.iter() + ".safetensors";
    }

    @Override
    protected void saveCursors(Checkpoint.Section state) {
        Stage stage = stageInProgress();
        boolean batchInHand = stage == Stage.BEFORE_TRAIN_ITER || stage == Stage.BEFORE_VAL_ITER;
        streams.forEach((m, s) -> {
            // before a step its batch is already taken, yet the position says the step is still to do
            boolean back = batchInHand && m == mode;
            state.put("cursor." + m.id() + ".epoch", s.epoch());
            state.put("cursor." + m.id() + ".next", s.nextBatch() - (back ? 1 : 0));
        });
    }

    @Override
    protected void loadCursors(Checkpoint.Section state) {
        cursors.clear();
        for (Mode m : Mode.values()) {
            if (state.has("cursor." + m.id() + ".epoch")) {
                cursors.put(m, new long[] {state.getLong("cursor." + m.id() + ".epoch", 0),
                        state.getLong("cursor." + m.id() + ".next", 0)});
            }
        }
    }
}
