package dev.stride.runner.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The cycle a runner repeats until training is done, e.g. {@code [[train, 2], [val, 1]]}: two
 * train epochs (or iterations), then one val epoch (or iteration), again and again.
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Workflow(List<Phase> phases) {
    public Workflow {
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("the workflow is empty: give at least [[train, 1]]");
        }
        if (phases.stream().noneMatch(p -> p.mode() == Mode.TRAIN)) {
            throw new IllegalArgumentException(
                    "the workflow " + phasesText(phases) + " has no train phase, so it would never end:"
                            + " add [train, N]");
        }
    }

    public static Workflow of(Phase... phases) {
        return new Workflow(List.of(phases));
    }

    /** The modes this workflow uses; each needs a data loader. */
    public Set<Mode> modes() {
        Set<Mode> modes = EnumSet.noneOf(Mode.class);
        phases.forEach(p -> modes.add(p.mode()));
        return modes;
    }

    public Phase get(int index) {
        return phases.get(index);
    }

    public int size() {
        return phases.size();
    }

    private static String phasesText(List<Phase> phases) {
        return phases.stream().map(Phase::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return phasesText(phases);
    }
}
