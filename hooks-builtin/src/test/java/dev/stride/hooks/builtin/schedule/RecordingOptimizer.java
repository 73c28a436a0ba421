package dev.stride.hooks.builtin.schedule;

import dev.stride.runner.api.Checkpoint;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.ParamGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer without parameters that records, at every step, the lr and momentum of each group:
 * the values the step actually used. Like torch's, its state holds the groups' current lr and
 * momentum, so a resumed run starts from the already-scheduled values.
 */
final class RecordingOptimizer implements Optimizer {
    private final List<ParamGroup> groups = new ArrayList<>();
    final List<double[]> lrs = new ArrayList<>();
    final List<double[]> momenta = new ArrayList<>();

    RecordingOptimizer group(double lr, double momentum) {
        groups.add(new ParamGroup("group" + groups.size(), lr, momentum));
        return this;
    }

    @Override
    public List<ParamGroup> paramGroups() {
        return groups;
    }

    @Override
    public void step() {
        lrs.add(groups.stream().mapToDouble(ParamGroup::lr).toArray());
        momenta.add(groups.stream().mapToDouble(ParamGroup::momentum).toArray());
    }

    @Override
    public void zeroGrad() {}

    @Override
    public double gradNorm() {
        return 0;
    }

    @Override
    public void scaleGrads(double factor) {}

    @Override
    public void saveGradients(Checkpoint.Section state) {}

    @Override
    public void loadGradients(Checkpoint.Section state) {}

    @Override
    public void saveState(Checkpoint.Section state) {
        for (int i = 0; i < groups.size(); i++) {
            state.put("group." + i + ".lr", groups.get(i).lr());
            state.put("group." + i + ".momentum", groups.get(i).momentum());
        }
    }

    @Override
    public void loadState(Checkpoint.Section state) {
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            g.setLr(state.getDouble("group." + i + ".lr", g.lr()));
            g.setMomentum(state.getDouble("group." + i + ".momentum", g.momentum()));
        }
    }
}
