package dev.stride.runner.testkit;

import dev.stride.runner.api.Hook;
import dev.stride.runner.api.LogBuffer;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Runner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Records, at every after-iter and after-epoch stage, the counters and what a logger would log: the
 * latest loss and the averages of the stage's log buffer (all entries and the last 2), the number of
 * losses in it and the current lr. Numbers are written with {@link Double#toString}, so equal text
 * means equal bits, and keys are sorted (a step's scalars may come in any map order). A line:
 * {@code afterTrainIter e0 i0 in0 mode=train latest=0.23 avg={loss=0.23} avg2={loss=0.23} n=1 lr=0.1}.
 *
 * <p>Before-stages are not recorded: a resumed run calls some of them again for the epoch or phase
 * it resumes inside, so two runs compare equal only without them. Named {@code loss-trace}; keeps
 * no state.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class LossTrace implements Hook {
    private final List<String> log;

    /** A trace into a list of its own, {@link #lines()}. */
    public LossTrace() {
        this(new ArrayList<>());
    }

    /** A trace appending its lines to {@code log}. */
    public LossTrace(List<String> log) {
        this.log = log;
    }

    /** The lines recorded so far. */
    public List<String> lines() {
        return Collections.unmodifiableList(log);
    }

    @Override
    public String name() {
        return "loss-trace";
    }

    private void record(String stage, Runner r, Mode m) {
        LogBuffer b = r.logBuffer(m);
        log.add(stage + " e" + r.epoch() + " i" + r.iter() + " in" + r.innerIter() + " mode=" + r.mode()
                + " latest=" + b.latest("loss") + " avg=" + new TreeMap<>(b.average(0)) + " avg2=" + new TreeMap<>(b.average(2))
                + " n=" + b.count("loss") + " lr=" + r.currentLr());
    }

    @Override
    public void afterTrainIter(Runner r) {
        record("afterTrainIter", r, Mode.TRAIN);
    }

    @Override
    public void afterValIter(Runner r) {
        record("afterValIter", r, Mode.VAL);
    }

    @Override
    public void afterTrainEpoch(Runner r) {
        record("afterTrainEpoch", r, Mode.TRAIN);
    }

    @Override
    public void afterValEpoch(Runner r) {
        record("afterValEpoch", r, Mode.VAL);
    }
}
